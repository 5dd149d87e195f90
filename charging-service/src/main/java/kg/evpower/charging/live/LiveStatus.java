package kg.evpower.charging.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.domain.Connector;
import kg.evpower.charging.domain.Station;
import kg.evpower.charging.live.LiveUpdates.Update;
import kg.evpower.charging.repository.ConnectorRepository;
import kg.evpower.charging.repository.StationRepository;

/**
 * Builds the A3.4 status updates (connector, station, location) from the catalogue after a gateway event changed it, in
 * the event's own Hibernate session (so the change is visible), and publishes them through {@link LiveUpdates}.
 * Derived statuses follow A3.4: station maintenance / offline / available / occupied; location offline / maintenance /
 * occupied / available / partial.
 */
@ApplicationScoped
public class LiveStatus {

    private final StationRepository stations;
    private final ConnectorRepository connectors;
    private final LiveUpdates live;

    LiveStatus(StationRepository stations, ConnectorRepository connectors, LiveUpdates live) {
        this.stations = stations;
        this.connectors = connectors;
        this.live = live;
    }

    /** After gateway.connector.status-changed: the connector, its station and its location. */
    public Uni<Void> connectorChanged(String stationId, int connectorNumber) {
        return changed(stationId, connectorNumber);
    }

    /** After gateway.station.connected / disconnected: the station and its location. */
    public Uni<Void> stationChanged(String stationId) {
        return changed(stationId, null);
    }

    private Uni<Void> changed(String stationId, Integer connectorNumber) {
        return stations.findById(stationId).chain(st -> {
            if (st == null) {
                return Uni.createFrom().voidItem();
            }
            List<String> stationChannels = st.locationId == null ? List.of("all")
                    : List.of("all", "location_stations:" + st.locationId);
            return connectors.find("stationId = ?1 order by connectorNumber", st.id).list().chain(cs -> {
                List<Update> updates = new ArrayList<>();
                if (connectorNumber != null) {
                    cs.stream().filter(c -> c.connectorNumber == connectorNumber).findFirst().ifPresent(c ->
                            updates.add(new Update(stationChannels, null, connectorMessage(st, c))));
                }
                updates.add(new Update(stationChannels, null, stationMessage(st, cs)));
                Uni<Void> location = st.locationId == null ? Uni.createFrom().voidItem()
                        : locationUpdate(st.locationId).invoke(updates::add).replaceWithVoid();
                return location.chain(() -> publishAll(updates));
            });
        }).onFailure().invoke(f -> Log.warnf("Live status of %s not built: %s", stationId, f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Update> locationUpdate(long locationId) {
        return stations.find("locationId", locationId).list().chain(list -> {
            List<String> ids = list.stream().map(s -> s.id).toList();
            return connectors.find("stationId in ?1", ids).list().map(all -> {
                Map<String, Integer> counts = new LinkedHashMap<>();
                for (String k : List.of("available", "occupied", "offline", "maintenance")) {
                    counts.put(k, 0);
                }
                for (Station s : list) {
                    String status = stationStatus(s, all.stream().filter(c -> c.stationId.equals(s.id)).toList());
                    counts.merge(status, 1, Integer::sum);
                }
                int total = list.size();
                String status = total == 0 || counts.get("offline") > 0 ? "offline"
                        : counts.get("maintenance") > 0 ? "maintenance"
                        : counts.get("occupied") == total ? "occupied"
                        : counts.get("available") == total ? "available" : "partial";
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("total", total);
                summary.putAll(counts);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "location_status_update");
                m.put("location_id", locationId);
                m.put("status", status);
                m.put("stations_summary", summary);
                return new Update(List.of("all", "location:" + locationId), null, m);
            });
        });
    }

    private Uni<Void> publishAll(List<Update> updates) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Update u : updates) {
            chain = chain.chain(() -> live.publish(u));
        }
        return chain;
    }

    static Map<String, Object> connectorMessage(Station st, Connector c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "connector_status_update");
        m.put("location_id", st.locationId);
        m.put("station_id", st.id);
        m.put("connector_id", c.connectorNumber);
        m.put("status", appStatus(c.status));
        m.put("ocpp_status", c.status);
        m.put("available", "available".equals(appStatus(c.status)));
        m.put("error", c.errorCode);
        m.put("timestamp", c.statusUpdatedAt == null ? null : c.statusUpdatedAt.toString());
        return m;
    }

    static Map<String, Object> stationMessage(Station st, List<Connector> cs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "station_status_update");
        m.put("location_id", st.locationId);
        m.put("station_id", st.id);
        m.put("status", stationStatus(st, cs));
        m.put("online", st.online);
        m.put("total_connectors", cs.size());
        m.put("available_connectors", cs.stream().filter(c -> "available".equals(appStatus(c.status))).count());
        m.put("occupied_connectors", cs.stream().filter(c -> "occupied".equals(appStatus(c.status))).count());
        m.put("faulted_connectors", cs.stream().filter(c -> "faulted".equals(appStatus(c.status))).count());
        return m;
    }

    static String stationStatus(Station st, List<Connector> cs) {
        if ("maintenance".equals(st.status)) {
            return "maintenance";
        }
        if (!st.online) {
            return "offline";
        }
        if (cs.stream().anyMatch(c -> "available".equals(appStatus(c.status)))) {
            return "available";
        }
        return cs.stream().anyMatch(c -> "occupied".equals(appStatus(c.status))) ? "occupied" : "offline";
    }

    /** OCPP ChargePointStatus → the app's connector status (as the catalogue reads). */
    static String appStatus(String ocpp) {
        return switch (ocpp == null ? "" : ocpp) {
            case "Available", "Preparing" -> "available";
            case "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing", "Reserved" -> "occupied";
            case "Faulted" -> "faulted";
            default -> "unavailable";
        };
    }
}
