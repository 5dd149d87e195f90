package kg.evpower.charging.event;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.metrics.ChargingMetrics;
import kg.evpower.platform.event.Outbox;

/** Appends the session events of {@code evpower.charging.v1} to the outbox, inside the caller's transaction. */
@ApplicationScoped
public class ChargingEvents {

    public static final String STARTED = "charging.session.started";
    public static final String PROGRESS = "charging.session.progress";
    public static final String LIMIT_REACHED = "charging.session.limit-reached";
    public static final String STOPPED = "charging.session.stopped";
    public static final String FAILED = "charging.session.failed";

    /** The data of every charging event (docs/events/charging.session.*.json). Cost in tyiyn, energy in Wh. */
    public record SessionEvent(String sessionId, String clientId, String stationId, int connectorId,
            Integer transactionId, long energyWh, long cost, String status, String reason) {
    }

    private final Outbox outbox;
    private final ChargingConfig config;
    private final ChargingMetrics metrics;

    ChargingEvents(Outbox outbox, ChargingConfig config, ChargingMetrics metrics) {
        this.metrics = metrics;
        this.outbox = outbox;
        this.config = config;
    }

    public Uni<Void> append(String type, ChargingSession s, String reason) {
        long cost = s.finalCost != null ? s.finalCost : s.currentCost;
        SessionEvent data = new SessionEvent(s.id.toString(), s.clientId, s.stationId, s.connectorId, s.transactionId,
                s.energyWh, cost, s.status, reason);
        return outbox.append(config.streams().charging(), type, s.id.toString(), data).replaceWithVoid()
                .invoke(() -> {
                    switch (type) {
                        case STARTED -> metrics.session("started");
                        case STOPPED -> metrics.session("stopped");
                        case FAILED -> metrics.session("failed");
                        default -> {
                        }
                    }
                });
    }
}
