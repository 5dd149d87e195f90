package kg.evpower.payment.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import kg.evpower.platform.problem.ProblemException;

/**
 * Idempotency keys of money-moving calls, stored in PostgreSQL. {@link #claim} inserts the key in the transaction of
 * the effect ({@code INSERT ... ON CONFLICT DO NOTHING}); a concurrent duplicate waits on the unique key until the
 * first commits (then replays its answer) or rolls back (then goes ahead itself). Failures roll the key back with the
 * effect, so only successful answers are stored.
 */
@ApplicationScoped
public class Idempotency {

    private final ObjectMapper mapper;

    Idempotency(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Keys are scoped to the operation and its target (one wallet, one hold), never global. The stored answer of an earlier call with this key, or {@code null} when this call is the first. */
    public <T> Uni<T> claim(String scope, String key, String requestFingerprint, Class<T> answerType) {
        String hash = sha256(requestFingerprint);
        return Db.rows("INSERT INTO idempotency_record (scope, idem_key, request_hash) VALUES (?1, ?2, ?3) "
                        + "ON CONFLICT DO NOTHING RETURNING idem_key", scope, key, hash)
                .chain(inserted -> {
                    if (!inserted.isEmpty()) {
                        return Uni.createFrom().nullItem();
                    }
                    return Db.row("SELECT request_hash, response FROM idempotency_record WHERE scope = ?1 AND idem_key = ?2",
                            scope, key).map(row -> {
                                if (row == null || !hash.equals(((String) row[0]).trim()) || row[1] == null) {
                                    throw ProblemException.conflict("IDEMPOTENCY_KEY_REUSED",
                                            "This idempotency key was used for a different request.");
                                }
                                try {
                                    return mapper.readValue((String) row[1], answerType);
                                } catch (JsonProcessingException e) {
                                    throw new IllegalStateException("stored idempotent answer is unreadable", e);
                                }
                            });
                });
    }

    /** Stores the answer of the first call with this key (same transaction as the effect). */
    public <T> Uni<T> complete(String scope, String key, T answer) {
        String json;
        try {
            json = mapper.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Db.update("UPDATE idempotency_record SET http_status = 200, response = ?3 WHERE scope = ?1 AND idem_key = ?2",
                scope, key, json).replaceWith(answer);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
