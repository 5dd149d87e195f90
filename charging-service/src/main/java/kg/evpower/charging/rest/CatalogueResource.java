package kg.evpower.charging.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Public catalogue reads of the app (A3.4). Connector status is live: the gateway's connector status events update it,
 * station online/offline comes from its connected/disconnected events (one source of truth, A8.13).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogueResource {

    private static final String STATIONS = """
            SELECT s.*, c.connector_number, c.connector_type, c.power_kw, c.status AS connector_status, c.error_code
            FROM station s LEFT JOIN connector c ON c.station_id = s.id
            WHERE %s ORDER BY s.id, c.connector_number""";

    private final Pool pool;

    CatalogueResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Path("/locations")
    public Uni<Map<String, Object>> locations(@QueryParam("include_stations") boolean includeStations) {
        return pool.query("SELECT * FROM location WHERE status = 'active' ORDER BY id").execute()
                .chain(locs -> pool.query(STATIONS.formatted("s.location_id IS NOT NULL")).execute().map(st -> {
                    Map<Long, List<Map<String, Object>>> byLocation = new LinkedHashMap<>();
                    stations(st).forEach(s -> byLocation.computeIfAbsent((Long) s.remove("_location"),
                            k -> new ArrayList<>()).add(s));
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (Row l : locs) {
                        out.add(location(l, byLocation.getOrDefault(l.getLong("id"), List.of()), includeStations));
                    }
                    return Map.of("success", true, "locations", out, "total", out.size());
                }));
    }

    @GET
    @Path("/locations/{id}")
    public Uni<Response> location(@PathParam("id") long id) {
        return pool.preparedQuery("SELECT * FROM location WHERE id = $1").execute(Tuple.of(id)).chain(rows -> {
            if (!rows.iterator().hasNext()) {
                return Uni.createFrom().item(Response.status(404).entity(Map.of("detail", Map.of("success", false,
                        "error", "location_not_found", "message", "Location not found"))).build());
            }
            Row l = rows.iterator().next();
            return pool.preparedQuery(STATIONS.formatted("s.location_id = $1")).execute(Tuple.of(id))
                    .map(st -> {
                        List<Map<String, Object>> stations = stations(st);
                        stations.forEach(s -> s.remove("_location"));
                        Map<String, Object> body = new LinkedHashMap<>(location(l, stations, true));
                        body.put("success", true);
                        return Response.ok(body).build();
                    });
        });
    }

    @GET
    @Path("/station/status/{station_id}")
    public Uni<Map<String, Object>> stationStatus(@PathParam("station_id") String stationId) {
        return pool.preparedQuery(STATIONS.formatted("s.id = $1")).execute(Tuple.of(stationId)).chain(rows -> {
            List<Map<String, Object>> found = stations(rows);
            if (found.isEmpty()) {
                return Uni.createFrom().item(Map.<String, Object>of("success", false, "error", "station_not_found",
                        "message", "Station not found"));
            }
            Map<String, Object> s = found.get(0);
            Long locationId = (Long) s.remove("_location");
            return pool.preparedQuery("SELECT * FROM location WHERE id = $1").execute(Tuple.of(locationId)).map(l -> {
                Row loc = l.iterator().hasNext() ? l.iterator().next() : null;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("success", true);
                m.put("station_id", stationId);
                m.putAll(s);
                m.remove("id");
                m.put("location_id", locationId);
                m.put("location_name", loc == null ? null : loc.getString("name"));
                m.put("location_address", loc == null ? null : loc.getString("address"));
                m.put("working_hours", loc == null ? null : loc.getString("working_hours"));
                m.put("available_for_charging", Boolean.TRUE.equals(s.get("online")) && "active".equals(s.get("station_status"))
                        && ((Map<?, ?>) s.get("connectors_summary")).get("available") instanceof Integer a && a > 0);
                m.put("message", Boolean.TRUE.equals(m.get("available_for_charging")) ? "Station is available"
                        : "Station is not available for charging");
                return m;
            });
        });
    }

    private static List<Map<String, Object>> stations(Iterable<Row> rows) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, Object> s = out.computeIfAbsent(r.getString("id"), id -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", id);
                m.put("_location", r.getLong("location_id"));
                m.put("serial_number", r.getString("serial_number"));
                m.put("model", r.getString("model"));
                m.put("manufacturer", r.getString("manufacturer"));
                m.put("power_capacity", r.getInteger("power_capacity_kw"));
                m.put("station_status", r.getString("status"));
                m.put("online", r.getBoolean("online"));
                m.put("last_heartbeat_at", r.getOffsetDateTime("last_seen_at"));
                m.put("currency", "KGS");
                m.put("connectors", new ArrayList<Map<String, Object>>());
                return m;
            });
            if (r.getInteger("connector_number") != null) {
                String status = r.getString("connector_status");
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("id", r.getInteger("connector_number"));
                c.put("type", r.getString("connector_type"));
                c.put("status", appStatus(status));
                c.put("ocpp_status", status);
                c.put("available", "available".equals(appStatus(status)));
                c.put("power_kw", r.getInteger("power_kw"));
                c.put("error", r.getString("error_code"));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> list = (List<Map<String, Object>>) s.get("connectors");
                list.add(c);
            }
        }
        for (Map<String, Object> s : out.values()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cs = (List<Map<String, Object>>) s.get("connectors");
            int available = (int) cs.stream().filter(c -> "available".equals(c.get("status"))).count();
            int occupied = (int) cs.stream().filter(c -> "occupied".equals(c.get("status"))).count();
            int faulted = (int) cs.stream().filter(c -> "faulted".equals(c.get("status"))).count();
            s.put("connectors_count", cs.size());
            s.put("total_connectors", cs.size());
            s.put("available_connectors", available);
            s.put("occupied_connectors", occupied);
            s.put("faulted_connectors", faulted);
            s.put("connectors_summary", Map.of("total", cs.size(), "available", available, "occupied", occupied,
                    "faulted", faulted));
            String status = "maintenance".equals(s.get("station_status")) ? "maintenance"
                    : !Boolean.TRUE.equals(s.get("online")) ? "offline"
                    : available > 0 ? "available" : occupied > 0 ? "occupied" : "offline";
            s.put("status", status);
        }
        return new ArrayList<>(out.values());
    }

    /** OCPP ChargePointStatus → the app's connector status. */
    static String appStatus(String ocpp) {
        return switch (ocpp == null ? "" : ocpp) {
            case "Available", "Preparing" -> "available";
            case "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing", "Reserved" -> "occupied";
            case "Faulted" -> "faulted";
            default -> "unavailable";
        };
    }

    private static Map<String, Object> location(Row l, List<Map<String, Object>> stations, boolean include) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.getLong("id"));
        m.put("name", l.getString("name"));
        m.put("address", l.getString("address"));
        m.put("city", l.getString("city"));
        m.put("country", l.getString("country"));
        m.put("coordinates", Map.of("latitude", l.getBigDecimal("latitude") == null ? 0 : l.getBigDecimal("latitude"),
                "longitude", l.getBigDecimal("longitude") == null ? 0 : l.getBigDecimal("longitude")));
        long offline = stations.stream().filter(s -> "offline".equals(s.get("status"))).count();
        long maintenance = stations.stream().filter(s -> "maintenance".equals(s.get("status"))).count();
        long available = stations.stream().filter(s -> "available".equals(s.get("status"))).count();
        long occupied = stations.stream().filter(s -> "occupied".equals(s.get("status"))).count();
        String status = stations.isEmpty() ? "offline" : offline > 0 ? "offline" : maintenance > 0 ? "maintenance"
                : occupied == stations.size() ? "occupied" : available == stations.size() ? "available" : "partial";
        m.put("status", status);
        m.put("stations_summary", Map.of("total", stations.size(), "available", available, "occupied", occupied,
                "offline", offline, "maintenance", maintenance));
        int ct = 0;
        int ca = 0;
        int co = 0;
        int cf = 0;
        for (Map<String, Object> s : stations) {
            ct += (Integer) s.get("total_connectors");
            ca += (Integer) s.get("available_connectors");
            co += (Integer) s.get("occupied_connectors");
            cf += (Integer) s.get("faulted_connectors");
        }
        m.put("connectors_summary", Map.of("total", ct, "available", ca, "occupied", co, "faulted", cf));
        if (include) {
            m.put("stations", stations);
        }
        return m;
    }
}
