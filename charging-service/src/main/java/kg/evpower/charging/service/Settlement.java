package kg.evpower.charging.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.client.PaymentClient;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.domain.SessionCost;
import kg.evpower.charging.event.ChargingEvents;
import kg.evpower.charging.repository.SessionRepository;

/**
 * Settles a session exactly once: the caller holds the session row lock (SELECT ... FOR UPDATE) in its transaction, and a
 * session already STOPPED is never settled again. Capture and release carry session-derived idempotency keys, so a
 * transaction that rolls back after the payment call and is retried moves money once.
 */
@ApplicationScoped
public class Settlement {

    private final PaymentClient payment;
    private final ChargingEvents events;
    private final SessionRepository sessions;
    private final ChargingConfig config;

    Settlement(PaymentClient payment, ChargingEvents events, SessionRepository sessions, ChargingConfig config) {
        this.payment = payment;
        this.events = events;
        this.sessions = sessions;
        this.config = config;
    }

    /**
     * Bills {@code energyWh} with the session's pricing snapshot up to {@code end}, captures the cost from the hold and
     * releases the rest; the session becomes STOPPED. A session without a station transaction costs nothing.
     */
    public Uni<Boolean> settle(ChargingSession s, long energyWh, Instant end, String reason) {
        if (!s.isOpen()) {
            return Uni.createFrom().item(false);
        }
        s.energyWh = Math.max(0, energyWh);
        long cost = s.transactionId == null ? 0 : SessionCost.of(s, end, config.pricing().parkingGrace());
        Uni<PaymentClient.Settlement> money;
        if (s.holdId == null) {
            money = Uni.createFrom().item(new PaymentClient.Settlement(true, null, 0, 0, 0));
        } else if (cost == 0) {
            money = payment.release(s.holdId, s.id.toString());
        } else {
            money = payment.capture(s.holdId, s.id.toString(), cost);
        }
        return money.chain(result -> {
            if (!result.done()) {
                Log.warnf("Hold %s of session %s was not open at settlement (%s)", s.holdId, s.id, result.code());
            }
            s.status = ChargingSession.STOPPED;
            s.finalCost = cost;
            s.currentCost = cost;
            s.captured = result.captured();
            s.released = result.released();
            s.stoppedAt = end;
            s.stopReason = s.stopReason != null ? s.stopReason : reason;
            s.updatedAt = Instant.now();
            return events.append(ChargingEvents.STOPPED, s, reason).replaceWith(true);
        });
    }

    /** Releases the hold of a FAILED session and records it; failures are left to the jobs. */
    public Uni<Void> releaseFailed(UUID sessionId, String holdId) {
        return payment.release(holdId, sessionId.toString())
                .chain(result -> Panache.withTransaction(() -> sessions.lock(sessionId).invoke(s -> {
                    if (s != null && s.released == null) {
                        s.released = result.released();
                        s.updatedAt = Instant.now();
                    }
                })))
                .onFailure().invoke(f -> Log.warnf("Release of the hold of session %s left to the job: %s", sessionId,
                        f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
