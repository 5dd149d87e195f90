package kg.evpower.charging.live;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.Money;
import kg.evpower.platform.event.EventEnvelope;
import kg.evpower.platform.event.EventHandler;

/**
 * Pushes the owner's session progress to the app sockets. It reads charging-service's own {@code evpower.charging.v1}
 * (written through the outbox, so only committed session changes are pushed) in this service's consumer group: one
 * replica takes each event and publishes it on the live channel, every replica delivers it to the owner's sockets.
 */
@ApplicationScoped
public class SessionLiveHandler implements EventHandler {

    private final LiveUpdates live;
    private final ChargingConfig config;

    SessionLiveHandler(LiveUpdates live, ChargingConfig config) {
        this.live = live;
        this.config = config;
    }

    @Override
    public String stream() {
        return config.streams().charging();
    }

    @Override
    public Uni<Void> handle(EventEnvelope event) {
        JsonNode d = event.data();
        if (d == null || !event.type().startsWith("charging.session.") || !d.hasNonNull("clientId")) {
            return Uni.createFrom().voidItem();
        }
        return live.publish(new LiveUpdates.Update(List.of(), d.get("clientId").asText(), message(event)));
    }

    static Map<String, Object> message(EventEnvelope event) {
        JsonNode d = event.data();
        String kind = event.type().substring("charging.session.".length());
        String status = d.path("status").asText("");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "session_update");
        m.put("event", kind);
        m.put("session_id", d.path("sessionId").asText());
        m.put("station_id", d.path("stationId").asText());
        m.put("connector_id", d.path("connectorId").asInt());
        m.put("status", switch (status) {
            case "STOPPED" -> "stopped";
            case "FAILED" -> "error";
            default -> "started";
        });
        m.put("state", status.toLowerCase());
        m.put("energy_consumed", Money.kwh(d.path("energyWh").asLong()));
        if ("stopped".equals(kind)) {
            m.put("final_cost", Money.som(d.path("cost").asLong()));
        } else {
            m.put("current_cost", Money.som(d.path("cost").asLong()));
        }
        if (d.hasNonNull("reason")) {
            m.put("reason", d.get("reason").asText());
        }
        m.put("timestamp", event.occurredAt().toString());
        return m;
    }
}
