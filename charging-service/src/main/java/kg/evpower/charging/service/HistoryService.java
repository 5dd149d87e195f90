package kg.evpower.charging.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.charging.client.PaymentClient;
import kg.evpower.charging.domain.Money;

/** The client's own history, stats, favourites and profile (A3.5); reads with explicit SQL. */
@ApplicationScoped
public class HistoryService {

    private final Pool pool;
    private final ClientService clients;
    private final PaymentClient payment;

    HistoryService(Pool pool, ClientService clients, PaymentClient payment) {
        this.pool = pool;
        this.clients = clients;
        this.payment = payment;
    }

    public Uni<Map<String, Object>> charging(String clientId, int limit, int offset) {
        return pool.preparedQuery("""
                        SELECT s.*, st.model, l.name AS location_name, l.address AS location_address,
                               count(*) OVER () AS total
                        FROM charging_session s LEFT JOIN station st ON st.id = s.station_id
                        LEFT JOIN location l ON l.id = st.location_id
                        WHERE s.client_id = $1 ORDER BY s.created_at DESC LIMIT $2 OFFSET $3""")
                .execute(Tuple.of(clientId, limit, offset)).chain(rows -> {
                    List<Map<String, Object>> data = new ArrayList<>();
                    long total = 0;
                    for (Row r : rows) {
                        total = r.getLong("total");
                        data.add(historyRow(r));
                    }
                    if (data.isEmpty() && offset > 0) {
                        return pool.preparedQuery("SELECT count(*) FROM charging_session WHERE client_id = $1")
                                .execute(Tuple.of(clientId)).map(c -> page(data, c.iterator().next().getLong(0), limit, offset));
                    }
                    return Uni.createFrom().item(page(data, total, limit, offset));
                });
    }

    private static Map<String, Object> page(List<Map<String, Object>> data, long total, int limit, int offset) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("data", data);
        m.put("total", total);
        m.put("limit", limit);
        m.put("offset", offset);
        return m;
    }

    private static Map<String, Object> historyRow(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        String limitType = r.getString("limit_type");
        long limitValue = r.getLong("limit_value");
        Instant started = instant(r, "transaction_started_at") != null ? instant(r, "transaction_started_at")
                : instant(r, "created_at");
        Instant ended = instant(r, "stopped_at");
        Long finalCost = r.getLong("final_cost");
        m.put("id", r.getUUID("id").toString());
        m.put("station_id", r.getString("station_id"));
        m.put("connector_id", r.getInteger("connector_id"));
        m.put("status", switch (r.getString("status")) {
            case "STOPPED" -> "stopped";
            case "FAILED" -> "error";
            default -> "started";
        });
        m.put("energy_kwh", Money.kwh(r.getLong("energy_wh")));
        m.put("amount", Money.som(finalCost != null ? finalCost : r.getLong("current_cost")));
        m.put("started_at", started);
        m.put("ended_at", ended);
        m.put("duration_minutes", ended == null ? null : Duration.between(started, ended).toMinutes());
        m.put("limit_type", limitType);
        m.put("limit_value", "energy".equals(limitType) ? Money.kwh(limitValue)
                : "amount".equals(limitType) ? Money.som(limitValue) : null);
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("name", r.getString("location_name"));
        location.put("address", r.getString("location_address"));
        Map<String, Object> station = new LinkedHashMap<>();
        station.put("model", r.getString("model"));
        station.put("location", location);
        m.put("station", station);
        return m;
    }

    public Uni<Map<String, Object>> stats(String clientId) {
        return pool.preparedQuery("""
                        SELECT count(*) AS n, COALESCE(sum(energy_wh), 0) AS wh, COALESCE(sum(final_cost), 0) AS cost,
                               COALESCE(avg(EXTRACT(EPOCH FROM (stopped_at - COALESCE(transaction_started_at, created_at)))), 0) AS secs
                        FROM charging_session WHERE client_id = $1 AND status = 'STOPPED' AND stopped_at IS NOT NULL""")
                .execute(Tuple.of(clientId)).map(rows -> {
                    Row r = rows.iterator().next();
                    Map<String, Object> stats = new LinkedHashMap<>();
                    stats.put("total_sessions", r.getLong("n"));
                    stats.put("total_energy_kwh", Money.kwh(r.getLong("wh")));
                    stats.put("total_amount", Money.som(r.getLong("cost")));
                    stats.put("average_session_minutes", r.getBigDecimal("secs")
                            .divide(BigDecimal.valueOf(60), 1, RoundingMode.HALF_UP));
                    return Map.of("success", true, "stats", stats);
                });
    }

    public Uni<List<Long>> favorites(String clientId) {
        return pool.preparedQuery("SELECT location_id FROM favorite WHERE client_id = $1 ORDER BY created_at")
                .execute(Tuple.of(clientId)).map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getLong(0)));
                    return ids;
                });
    }

    /** Adds a favourite; true when it already existed. Fails with location_not_found for an unknown location. */
    public Uni<Boolean> addFavorite(String clientId, long locationId) {
        return clients.ensure(clientId, null, null, null).chain(c -> pool.preparedQuery("""
                        INSERT INTO favorite (client_id, location_id)
                        SELECT $1, id FROM location WHERE id = $2 ON CONFLICT DO NOTHING RETURNING location_id""")
                .execute(Tuple.of(clientId, locationId)))
                .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(false)
                        : pool.preparedQuery("SELECT count(*) FROM location WHERE id = $1").execute(Tuple.of(locationId))
                                .map(n -> {
                                    if (n.iterator().next().getLong(0) == 0) {
                                        throw new AppError(404, "location_not_found", "Location not found", null);
                                    }
                                    return true;
                                }));
    }

    public Uni<Boolean> removeFavorite(String clientId, long locationId) {
        return pool.preparedQuery("DELETE FROM favorite WHERE client_id = $1 AND location_id = $2")
                .execute(Tuple.of(clientId, locationId)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Map<String, Object>> profile(String clientId, String email, String phone, String name) {
        return clients.ensure(clientId, email, phone, name).chain(c -> payment.wallet(clientId)
                .map(w -> (Long) w.balance()).onFailure().recoverWithNull().map(balance -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("success", true);
                    m.put("user_type", "client");
                    m.put("client_id", c.id);
                    m.put("email", c.email);
                    m.put("phone", c.phone);
                    m.put("name", c.name);
                    m.put("balance", Money.som(balance));
                    m.put("status", c.status);
                    return m;
                }));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
