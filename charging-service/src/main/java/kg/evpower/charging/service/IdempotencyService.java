package kg.evpower.charging.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.domain.IdempotencyRecord;
import kg.evpower.charging.repository.IdempotencyRepository;

/**
 * Idempotency keys of start/stop (A2.5 with the A8.5 fixes): scoped per client, checked after authentication, the answer
 * stored with the key and replayed; the same key with another body or path is refused (409); answers of 5xx and
 * failures are not stored, so the request can be retried.
 */
@ApplicationScoped
public class IdempotencyService {

    /** A first request still running this long is considered dead and may be taken over. */
    static final Duration IN_PROGRESS_TIMEOUT = Duration.ofSeconds(60);

    public record Answer(int status, Object body, boolean replayed) {
    }

    private final IdempotencyRepository records;
    private final ObjectMapper mapper;
    private final ObjectMapper canonical;
    private final ObjectMapper exact;

    IdempotencyService(IdempotencyRepository records, ObjectMapper mapper) {
        this.records = records;
        this.mapper = mapper;
        this.canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.exact = mapper.copy().configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    }

    public Uni<Answer> run(String clientId, String key, String method, String path, JsonNode body,
            Supplier<Uni<Answer>> action) {
        if (key == null || key.isBlank()) {
            return action.get();
        }
        String hash = fingerprint(body);
        Instant now = Instant.now();
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO idempotency_key (client_id, idem_key, method, path, body_hash, created_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING""")
                        .setParameter(1, clientId).setParameter(2, key).setParameter(3, method).setParameter(4, path)
                        .setParameter(5, hash).setParameter(6, now).executeUpdate())
                .chain(inserted -> inserted == 1 ? Uni.createFrom().item((Answer) null)
                        : records.findById(new IdempotencyRecord.Key(clientId, key),
                                        jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                                .map(existing -> existingAnswer(existing, method, path, hash, now))))
                .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                        : action.get().call(answer -> answer.status() < 500 ? store(clientId, key, answer)
                                : forget(clientId, key))
                                .onFailure().call(() -> forget(clientId, key)));
    }

    private Answer existingAnswer(IdempotencyRecord r, String method, String path, String hash, Instant now) {
        if (!r.method.equals(method) || !r.path.equals(path) || !r.bodyHash.equals(hash)) {
            return new Answer(409, Map.of("success", false, "error", "invalid_request",
                    "message", "Idempotency-Key conflict: the key was used with another request"), false);
        }
        if (r.statusCode == null) {
            if (r.createdAt.isBefore(now.minus(IN_PROGRESS_TIMEOUT))) {
                r.createdAt = now; // the first attempt died: this one takes over
                return null;
            }
            return new Answer(409, Map.of("success", false, "error", "request_in_progress",
                    "message", "A request with this Idempotency-Key is still being processed"), false);
        }
        try {
            return new Answer(r.statusCode, exact.readTree(r.responseBody), true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent answer unreadable", e);
        }
    }

    private Uni<Void> store(String clientId, String key, Answer answer) {
        String json;
        try {
            json = mapper.writeValueAsString(answer.body());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "UPDATE idempotency_key SET status_code = ?3, response_body = ?4 WHERE client_id = ?1 AND idem_key = ?2")
                .setParameter(1, clientId).setParameter(2, key).setParameter(3, answer.status()).setParameter(4, json)
                .executeUpdate())).replaceWithVoid();
    }

    private Uni<Void> forget(String clientId, String key) {
        return Panache.withTransaction(() -> records.delete("clientId = ?1 and idemKey = ?2", clientId, key))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** SHA-256 of the body re-serialised with sorted keys and no whitespace (A2.5). */
    String fingerprint(JsonNode body) {
        try {
            Object tree = body == null ? null : mapper.convertValue(body, Object.class);
            byte[] bytes = canonical.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
