package kg.evpower.charging.rest;

import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.charging.domain.TariffEngine;
import kg.evpower.charging.service.AppError;
import kg.evpower.charging.service.ClientService;

/** Operators' catalogue and tariff management (admin JWT: groups contains "admin"). Prices in tyiyn. */
@Path("/api/v1/admin")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final Pool pool;
    private final ClientService clients;
    private final kg.evpower.charging.service.RfidSessionService rfid;

    AdminResource(Pool pool, ClientService clients, kg.evpower.charging.service.RfidSessionService rfid) {
        this.pool = pool;
        this.clients = clients;
        this.rfid = rfid;
    }

    /** Assigns a client's RFID tag ({@code client_id}); registers it with the gateway before storing it. */
    @PUT
    @Path("/id-tags/{idTag}")
    public Uni<Map<String, Object>> idTag(@PathParam("idTag") String idTag, JsonNode b) {
        return rfid.assign(idTag, b == null ? null : text(b, "client_id", false));
    }

    @POST
    @Path("/locations")
    public Uni<Map<String, Object>> location(JsonNode b) {
        String name = text(b, "name", true);
        return pool.preparedQuery("""
                        INSERT INTO location (name, address, city, country, latitude, longitude, working_hours)
                        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""")
                .execute(Tuple.from(new Object[] {name, text(b, "address", false), text(b, "city", false),
                        text(b, "country", false), b.hasNonNull("latitude") ? b.get("latitude").decimalValue() : null,
                        b.hasNonNull("longitude") ? b.get("longitude").decimalValue() : null,
                        text(b, "working_hours", false)}))
                .map(rows -> Map.of("success", true, "id", rows.iterator().next().getLong(0)));
    }

    /** Creates or replaces a station's commercial data and connectors ({@code connectors: [{id, type, power_kw}]}). */
    @PUT
    @Path("/stations/{id}")
    public Uni<Map<String, Object>> station(@PathParam("id") String id, JsonNode b) {
        if (!ChargingResource.STATION_ID.matcher(id).matches()) {
            throw bad("station id: 1-50 characters A-Z, 0-9 or -");
        }
        String status = b.hasNonNull("status") ? b.get("status").asText() : "active";
        if (!java.util.Set.of("active", "inactive", "maintenance").contains(status)) {
            throw bad("status: active, inactive or maintenance");
        }
        return pool.withTransaction(c -> c.preparedQuery("""
                        INSERT INTO station (id, location_id, serial_number, model, manufacturer, power_capacity_kw, status,
                                             tariff_plan_id)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                        ON CONFLICT (id) DO UPDATE SET location_id = $2, serial_number = $3, model = $4, manufacturer = $5,
                            power_capacity_kw = $6, status = $7, tariff_plan_id = $8, updated_at = now()""")
                .execute(Tuple.from(new Object[] {id, longOrNull(b, "location_id"), text(b, "serial_number", false),
                        text(b, "model", false), text(b, "manufacturer", false),
                        b.hasNonNull("power_capacity_kw") ? b.get("power_capacity_kw").asInt() : null, status,
                        longOrNull(b, "tariff_plan_id")}))
                .chain(() -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (JsonNode conn : b.path("connectors")) {
                        int n = conn.path("id").asInt();
                        if (n < 1 || n > 10) {
                            return Uni.createFrom().failure(bad("connector id: 1-10"));
                        }
                        chain = chain.chain(() -> c.preparedQuery("""
                                        INSERT INTO connector (station_id, connector_number, connector_type, power_kw)
                                        VALUES ($1, $2, $3, $4) ON CONFLICT (station_id, connector_number)
                                        DO UPDATE SET connector_type = $3, power_kw = $4""")
                                .execute(Tuple.of(id, n, conn.path("type").asText("Type2"), conn.path("power_kw").asInt(22)))
                                .replaceWithVoid());
                    }
                    return chain;
                }))
                .onFailure(f -> String.valueOf(f.getMessage()).contains("foreign key"))
                .transform(f -> bad("unknown location_id or tariff_plan_id"))
                .map(x -> Map.of("success", true, "id", id));
    }

    @POST
    @Path("/tariff-plans")
    public Uni<Map<String, Object>> plan(JsonNode b) {
        return pool.preparedQuery("INSERT INTO tariff_plan (name, description, is_default) VALUES ($1, $2, $3) RETURNING id")
                .execute(Tuple.of(text(b, "name", true), text(b, "description", false),
                        b.path("is_default").asBoolean(false)))
                .onFailure(f -> String.valueOf(f.getMessage()).contains("tariff_plan_one_default"))
                .transform(f -> new AppError(409, "default_plan_exists", "Another plan is already the default", null))
                .map(rows -> Map.of("success", true, "id", rows.iterator().next().getLong(0)));
    }

    /** A rule: tariff_type, price (tyiyn), optional time_start/time_end (HH:mm, Bishkek), days_of_week [1..7], ... */
    @POST
    @Path("/tariff-plans/{planId}/rules")
    public Uni<Map<String, Object>> rule(@PathParam("planId") long planId, JsonNode b) {
        String type = text(b, "tariff_type", true);
        if (!TariffEngine.TYPES.contains(type)) {
            throw bad("tariff_type: per_kwh, per_minute, session_fee or parking_fee");
        }
        if (!b.hasNonNull("price") || !b.get("price").canConvertToLong() || b.get("price").asLong() < 0) {
            throw bad("price: a whole number of tyiyn >= 0");
        }
        LocalTime from;
        LocalTime to;
        try {
            from = b.hasNonNull("time_start") ? LocalTime.parse(b.get("time_start").asText()) : null;
            to = b.hasNonNull("time_end") ? LocalTime.parse(b.get("time_end").asText()) : null;
        } catch (RuntimeException e) {
            throw bad("time_start/time_end: HH:mm");
        }
        if ((from == null) != (to == null)) {
            throw bad("time_start and time_end go together");
        }
        StringBuilder days = new StringBuilder();
        for (JsonNode d : b.path("days_of_week")) {
            if (!d.canConvertToInt() || d.asInt() < 1 || d.asInt() > 7) {
                throw bad("days_of_week: 1 (Monday) to 7 (Sunday)");
            }
            days.append(days.isEmpty() ? "" : ",").append(d.asInt());
        }
        return pool.preparedQuery("""
                        INSERT INTO tariff_rule (tariff_plan_id, name, tariff_type, connector_type, price, time_start, time_end,
                                                 days_of_week, is_weekend, priority, valid_from, valid_until)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id""")
                .execute(Tuple.from(new Object[] {planId, b.path("name").asText(type), type,
                        b.path("connector_type").asText("ALL"), b.get("price").asLong(), from, to,
                        days.isEmpty() ? null : days.toString(), b.path("is_weekend").asBoolean(false),
                        b.path("priority").asInt(0), instant(b, "valid_from"), instant(b, "valid_until")}))
                .onFailure(f -> String.valueOf(f.getMessage()).contains("foreign key"))
                .transform(f -> new AppError(404, "tariff_plan_not_found", "Tariff plan not found", null))
                .map(rows -> Map.of("success", true, "id", rows.iterator().next().getLong(0)));
    }

    @POST
    @Path("/client-tariffs")
    public Uni<Map<String, Object>> clientTariff(JsonNode b) {
        String clientId = text(b, "client_id", true);
        int discount = b.path("discount_percent").asInt(0);
        if (discount < 0 || discount > 100) {
            throw bad("discount_percent: 0-100");
        }
        return clients.ensure(clientId, null, null, null).chain(c -> pool.preparedQuery("""
                        INSERT INTO client_tariff (client_id, tariff_plan_id, discount_percent, fixed_rate_per_kwh,
                                                   valid_from, valid_until)
                        VALUES ($1, $2, $3, $4, COALESCE($5, now()), $6) RETURNING id""")
                .execute(Tuple.from(new Object[] {clientId, longOrNull(b, "tariff_plan_id"), discount,
                        longOrNull(b, "fixed_rate_per_kwh"), instant(b, "valid_from"), instant(b, "valid_until")})))
                .map(rows -> Map.of("success", true, "id", rows.iterator().next().getLong(0)));
    }

    @PUT
    @Path("/clients/{id}/status")
    public Uni<Map<String, Object>> clientStatus(@PathParam("id") String id, JsonNode b) {
        String status = text(b, "status", true);
        if (!java.util.Set.of("active", "inactive", "blocked", "pending_deletion").contains(status)) {
            throw bad("status: active, inactive, blocked or pending_deletion");
        }
        return clients.ensure(id, null, null, null).chain(() -> clients.setStatus(id, status))
                .map(c -> Map.of("success", true, "client_id", id, "status", status));
    }

    static String text(JsonNode b, String field, boolean required) {
        JsonNode v = b == null ? null : b.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw bad(field + " is required");
            }
            return null;
        }
        return v.asText();
    }

    static Long longOrNull(JsonNode b, String field) {
        return b.hasNonNull(field) ? b.get(field).asLong() : null;
    }

    static java.time.OffsetDateTime instant(JsonNode b, String field) {
        try {
            return b.hasNonNull(field) ? Instant.parse(b.get(field).asText()).atOffset(java.time.ZoneOffset.UTC) : null;
        } catch (RuntimeException e) {
            throw bad(field + ": an ISO-8601 instant");
        }
    }

    static AppError bad(String message) {
        return new AppError(422, "invalid_parameters", message, null);
    }
}
