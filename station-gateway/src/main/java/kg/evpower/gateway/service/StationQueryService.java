package kg.evpower.gateway.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Live state of stations as stored: two queries, no per-station round trips. */
@ApplicationScoped
public class StationQueryService {

    public record Boot(String vendor, String model, String serialNumber, String firmwareVersion, String status) {
    }

    public record Connector(int connectorId, String status, String errorCode, Instant updatedAt) {
    }

    public record Station(String id, boolean connected, String instanceId, Instant lastMessageAt,
            int heartbeatIntervalSeconds, Boot boot, List<Connector> connectors) {
    }

    private final Pool pool;

    StationQueryService(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Station>> list() {
        return query("SELECT * FROM station ORDER BY id", Tuple.tuple(),
                "SELECT * FROM connector_status ORDER BY station_id, connector_id", Tuple.tuple());
    }

    public Uni<Optional<Station>> find(String id) {
        return query("SELECT * FROM station WHERE id = $1", Tuple.of(id),
                "SELECT * FROM connector_status WHERE station_id = $1 ORDER BY connector_id", Tuple.of(id))
                .map(list -> list.stream().findFirst());
    }

    private Uni<List<Station>> query(String stationSql, Tuple stationArgs, String connectorSql, Tuple connectorArgs) {
        return pool.preparedQuery(connectorSql).execute(connectorArgs).chain(connectorRows -> {
            Map<String, List<Connector>> connectors = new LinkedHashMap<>();
            for (Row row : connectorRows) {
                connectors.computeIfAbsent(row.getString("station_id"), k -> new ArrayList<>())
                        .add(new Connector(row.getInteger("connector_id"), row.getString("status"),
                                row.getString("error_code"), instant(row.getOffsetDateTime("updated_at"))));
            }
            return pool.preparedQuery(stationSql).execute(stationArgs).map(rows -> {
                List<Station> stations = new ArrayList<>();
                for (Row row : rows) {
                    String id = row.getString("id");
                    stations.add(new Station(id, row.getBoolean("connected"),
                            row.getBoolean("connected") ? row.getString("instance_id") : null,
                            instant(row.getOffsetDateTime("last_message_at")),
                            row.getInteger("heartbeat_interval_seconds"),
                            new Boot(row.getString("vendor"), row.getString("model"), row.getString("serial_number"),
                                    row.getString("firmware_version"), row.getString("registration_status")),
                            connectors.getOrDefault(id, List.of())));
                }
                return stations;
            });
        });
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
