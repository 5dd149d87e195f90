package kg.evpower.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import kg.evpower.gateway.client.CredentialCache;
import kg.evpower.gateway.ocpp.session.SessionRegistry;

/**
 * A security change of one charge point, fanned out to every replica over Redis pub/sub: each drops its cached
 * credentials and acts on the station's socket if it holds it. REVOKED or deregistered → closed at once;
 * OUT_OF_SERVICE → ChangeAvailability Inoperative; back to ACTIVE from OUT_OF_SERVICE → Operative.
 */
@ApplicationScoped
public class SecurityChanges {

    public record Change(String cpId, String type, String status, String previousStatus) {
    }

    static final String CHANNEL = "evpower.gateway.security-changes";

    private final ReactiveRedisDataSource redis;
    private final CredentialCache cache;
    private final SessionRegistry registry;
    private final CommandService commands;
    private final ObjectMapper mapper;

    SecurityChanges(ReactiveRedisDataSource redis, CredentialCache cache, SessionRegistry registry,
            CommandService commands, ObjectMapper mapper) {
        this.redis = redis;
        this.cache = cache;
        this.registry = registry;
        this.commands = commands;
        this.mapper = mapper;
    }

    void onStart(@Observes StartupEvent event) {
        subscribe();
    }

    private void subscribe() {
        redis.pubsub(String.class).subscribe(CHANNEL, this::onMessage)
                .subscribe().with(ok -> Log.debugf("Listening to %s", CHANNEL), failure -> {
                    Log.warnf("Cannot listen to %s: %s", CHANNEL, failure.toString());
                });
    }

    public Uni<Void> publish(Change change) {
        apply(change);
        String message = JsonNodeFactory.instance.objectNode().put("cpId", change.cpId()).put("type", change.type())
                .put("status", change.status()).put("previousStatus", change.previousStatus()).toString();
        return redis.pubsub(String.class).publish(CHANNEL, message);
    }

    private void onMessage(String message) {
        try {
            JsonNode node = mapper.readTree(message);
            apply(new Change(node.path("cpId").asText(), node.path("type").asText(),
                    node.path("status").asText(null), node.path("previousStatus").asText(null)));
        } catch (Exception e) {
            Log.warnf("Unreadable security change: %s", e.toString());
        }
    }

    /** Idempotent: applying a change twice (publisher and subscriber on one replica) does no harm. */
    void apply(Change change) {
        cache.drop(change.cpId());
        registry.find(change.cpId()).ifPresent(session -> {
            boolean revoked = "REVOKED".equals(change.status()) || "security.charge-point.deregistered".equals(change.type());
            if (revoked) {
                if (!session.isClosed()) {
                    Log.infof("Station %s revoked: closing its socket", change.cpId());
                    session.close(1008, "Revoked");
                }
                return;
            }
            if (!"security.charge-point.status-changed".equals(change.type()) || change.status() == null
                    || change.status().equals(session.securityStatus())) {
                return;
            }
            String before = session.securityStatus();
            session.securityStatus(change.status());
            if ("OUT_OF_SERVICE".equals(change.status())) {
                commands.changeAvailability(session, false);
            } else if ("ACTIVE".equals(change.status()) && "OUT_OF_SERVICE".equals(before)) {
                commands.changeAvailability(session, true);
            }
        });
    }
}
