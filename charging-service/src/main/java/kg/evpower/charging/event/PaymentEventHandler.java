package kg.evpower.charging.event;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.repository.SessionRepository;
import kg.evpower.platform.event.EventEnvelope;
import kg.evpower.platform.event.EventHandler;

/**
 * Applies payment-service's hold events (docs/contracts.md, evpower.payment.v1) to the sessions they belong to: the
 * session records what payment-service confirmed (HELD, CAPTURED with the captured amount and any receivable, RELEASED).
 * Exactly once per event id through the platform's consumer; a capture is never overwritten by a later release or
 * placement (events of one hold may arrive out of order). Top-up events do not concern sessions and are ignored.
 */
@ApplicationScoped
public class PaymentEventHandler implements EventHandler {

    private final SessionRepository sessions;
    private final ChargingConfig config;

    PaymentEventHandler(SessionRepository sessions, ChargingConfig config) {
        this.sessions = sessions;
        this.config = config;
    }

    @Override
    public String stream() {
        return config.streams().payment();
    }

    @Override
    public Uni<Void> handle(EventEnvelope event) {
        JsonNode d = event.data();
        if (d == null || !event.type().startsWith("payment.hold.")) {
            return Uni.createFrom().voidItem();
        }
        UUID sessionId;
        try {
            sessionId = UUID.fromString(d.path("sessionId").asText(""));
        } catch (IllegalArgumentException e) {
            Log.infof("%s %s names no session of ours", event.type(), event.id());
            return Uni.createFrom().voidItem();
        }
        return sessions.lock(sessionId).invoke(s -> {
            if (s == null) {
                Log.infof("%s %s: session %s unknown here", event.type(), event.id(), sessionId);
                return;
            }
            if (s.holdId != null && d.hasNonNull("holdId") && !s.holdId.equals(d.get("holdId").asText())) {
                Log.warnf("%s %s: hold %s is not the hold of session %s", event.type(), event.id(),
                        d.get("holdId").asText(), sessionId);
                return;
            }
            switch (event.type()) {
                case "payment.hold.placed" -> {
                    if (s.paymentStatus == null) {
                        s.paymentStatus = "HELD";
                    }
                }
                case "payment.hold.captured" -> {
                    s.paymentStatus = "CAPTURED";
                    s.paymentCaptured = d.path("captured").asLong();
                    s.paymentReceivable = d.path("receivable").asLong();
                    if (s.paymentReceivable > 0) {
                        Log.warnf("Session %s: %d tyiyn of its cost could not be captured (receivable)", s.id,
                                s.paymentReceivable);
                    }
                }
                case "payment.hold.released" -> {
                    if (!"CAPTURED".equals(s.paymentStatus)) {
                        s.paymentStatus = "RELEASED";
                    }
                }
                default -> {
                    return;
                }
            }
            s.paymentUpdatedAt = Instant.now();
        }).replaceWithVoid();
    }
}
