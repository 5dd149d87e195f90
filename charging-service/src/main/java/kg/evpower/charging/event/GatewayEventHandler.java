package kg.evpower.charging.event;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.live.LiveStatus;
import kg.evpower.charging.service.StationEventsService;
import kg.evpower.platform.event.EventEnvelope;
import kg.evpower.platform.event.EventHandler;

/** Applies station-gateway's events (docs/contracts.md) in charging-service's consumer group. */
@ApplicationScoped
public class GatewayEventHandler implements EventHandler {

    private final StationEventsService stations;
    private final ChargingConfig config;
    private final LiveStatus live;

    GatewayEventHandler(StationEventsService stations, ChargingConfig config, LiveStatus live) {
        this.stations = stations;
        this.config = config;
        this.live = live;
    }

    @Override
    public String stream() {
        return config.streams().gateway();
    }

    @Override
    public Uni<Void> handle(EventEnvelope event) {
        if (event.data() == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (event.type()) {
            case "gateway.transaction.started" -> stations.transactionStarted(event.data());
            case "gateway.meter.values" -> stations.meterValues(event.data());
            case "gateway.transaction.stopped" -> stations.transactionStopped(event.data());
            case "gateway.connector.status-changed" -> stations.connectorStatus(event.data())
                    .call(() -> live.connectorChanged(event.data().path("chargePointId").asText(),
                            event.data().path("connectorId").asInt()));
            case "gateway.station.connected" -> stations.stationPresence(event.data().path("chargePointId").asText(),
                    true, event.occurredAt()).call(() -> live.stationChanged(event.data().path("chargePointId").asText()));
            case "gateway.station.disconnected" -> stations.stationPresence(
                    event.data().path("chargePointId").asText(), false, event.occurredAt())
                    .call(() -> live.stationChanged(event.data().path("chargePointId").asText()));
            default -> Uni.createFrom().voidItem();
        };
    }
}
