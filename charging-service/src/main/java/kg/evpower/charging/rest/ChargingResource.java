package kg.evpower.charging.rest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.domain.Money;
import kg.evpower.charging.service.AppError;
import kg.evpower.charging.service.CriticalRateLimiter;
import kg.evpower.charging.service.IdempotencyService;
import kg.evpower.charging.service.SessionService;
import kg.evpower.charging.service.SessionService.StartCommand;

/** The app's charging API (A3.1): start, stop, status, all for the authenticated client only. */
@Path("/api/v1/charging")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ChargingResource {

    static final Pattern STATION_ID = Pattern.compile("^[A-Z0-9-]{1,50}$");
    static final Pattern SESSION_ID = Pattern.compile("^[a-zA-Z0-9-]{1,100}$");
    static final BigDecimal MAX_KWH = BigDecimal.valueOf(200);
    static final BigDecimal MAX_SOM = BigDecimal.valueOf(100000);

    private final SessionService sessions;
    private final IdempotencyService idempotency;
    private final CurrentClient client;
    private final CriticalRateLimiter limiter;

    ChargingResource(SessionService sessions, IdempotencyService idempotency, CurrentClient client,
            CriticalRateLimiter limiter) {
        this.sessions = sessions;
        this.idempotency = idempotency;
        this.client = client;
        this.limiter = limiter;
    }

    @POST
    @Path("/start")
    public Uni<Response> start(JsonNode body, @HeaderParam("Idempotency-Key") String key) {
        String clientId = client.id();
        JsonNode b = body == null ? NullNode.getInstance() : body;
        return limiter.check(clientId).chain(() -> idempotency.run(clientId, key, "POST", "/api/v1/charging/start", b,
                        () -> answer(() -> sessions.start(clientId, parseStart(b)))))
                .map(a -> respond(a, key))
                .onFailure(AppError.class).recoverWithItem(f -> refused((AppError) f));
    }

    @POST
    @Path("/stop")
    public Uni<Response> stop(JsonNode body, @HeaderParam("Idempotency-Key") String key) {
        String clientId = client.id();
        JsonNode b = body == null ? NullNode.getInstance() : body;
        return limiter.check(clientId).chain(() -> idempotency.run(clientId, key, "POST", "/api/v1/charging/stop", b,
                        () -> answer(() -> sessions.stop(clientId, parseSessionId(b)))))
                .map(a -> respond(a, key))
                .onFailure(AppError.class).recoverWithItem(f -> refused((AppError) f));
    }

    @GET
    @Path("/status/{session_id}")
    public Uni<Response> status(@PathParam("session_id") String sessionId) {
        String clientId = client.id();
        UUID id = uuidOrNull(sessionId);
        Uni<Map<String, Object>> work = id == null
                ? Uni.createFrom().failure(new AppError(404, "session_not_found", "Session not found", null))
                : sessions.status(clientId, id);
        return work.map(session -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("success", true);
            m.put("session", session);
            return Response.ok(m).build();
        }).onFailure(AppError.class).recoverWithItem(f -> {
            AppError e = (AppError) f;
            // A3.1 keeps FastAPI's {"detail": {...}} shape for this endpoint's errors
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("detail", e.body())).build();
        });
    }

    /** Runs the use case; refusals become stored answers, unexpected failures a 500 that is not stored. */
    static Uni<IdempotencyService.Answer> answer(Supplier<Uni<Map<String, Object>>> work) {
        return Uni.createFrom().<Map<String, Object>>deferred(work::get)
                .map(body -> new IdempotencyService.Answer(200, body, false))
                .onFailure().recoverWithItem(f -> {
                    if (f instanceof AppError e) {
                        return new IdempotencyService.Answer(e.status(), e.body(), false);
                    }
                    Log.errorf(f, "Charging request failed");
                    return new IdempotencyService.Answer(500, Map.of("success", false, "error", "internal_error",
                            "message", "The request could not be completed"), false);
                });
    }

    /** A request refused before the use case (rate limit, limiter down): never stored for idempotency. */
    static Response refused(AppError e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body());
        if (e.status() == 429) {
            r.header("Retry-After", "60");
        }
        return r.build();
    }

    static Response respond(IdempotencyService.Answer a, String key) {
        Response.ResponseBuilder r = Response.status(a.status()).type(MediaType.APPLICATION_JSON).entity(a.body());
        if (key != null && !key.isBlank()) {
            r.header("Idempotency-Key", key);
            if (a.replayed()) {
                r.header("Idempotency-Replayed", "true");
            }
        }
        return r.build();
    }

    static StartCommand parseStart(JsonNode b) {
        List<Map<String, String>> errors = new ArrayList<>();
        JsonNode station = b.get("station_id");
        if (station == null || !station.isTextual() || !STATION_ID.matcher(station.asText()).matches()) {
            errors.add(field("station_id", "required: 1-50 characters A-Z, 0-9 or -"));
        }
        JsonNode connector = b.get("connector_id");
        if (connector == null || !connector.isIntegralNumber() || connector.asInt() < 1 || connector.asInt() > 10) {
            errors.add(field("connector_id", "required: an integer 1-10"));
        }
        Long energyWh = null;
        JsonNode energy = b.get("energy_kwh");
        if (energy != null && !energy.isNull()) {
            if (!energy.isNumber() || energy.decimalValue().signum() <= 0 || energy.decimalValue().compareTo(MAX_KWH) > 0) {
                errors.add(field("energy_kwh", "a number > 0 and <= 200"));
            } else {
                energyWh = Money.wh(energy.decimalValue());
                if (energyWh <= 0) {
                    errors.add(field("energy_kwh", "at least 0.001 kWh"));
                }
            }
        }
        Long amount = null;
        JsonNode som = b.get("amount_som");
        if (som != null && !som.isNull()) {
            if (!som.isNumber() || som.decimalValue().signum() <= 0 || som.decimalValue().compareTo(MAX_SOM) > 0) {
                errors.add(field("amount_som", "a number > 0 and <= 100000"));
            } else {
                try {
                    amount = Money.tyiyn(som.decimalValue());
                } catch (IllegalArgumentException e) {
                    errors.add(field("amount_som", "at most two decimals"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new StartCommand(station.asText(), connector.asInt(), energyWh, amount);
    }

    static UUID parseSessionId(JsonNode b) {
        JsonNode id = b.get("session_id");
        if (id == null || !id.isTextual() || !SESSION_ID.matcher(id.asText()).matches()) {
            throw invalid(List.of(field("session_id", "required: 1-100 characters a-z, A-Z, 0-9 or -")));
        }
        UUID uuid = uuidOrNull(id.asText());
        if (uuid == null) {
            throw AppError.refuse("session_not_found", "No active session with this id");
        }
        return uuid;
    }

    static UUID uuidOrNull(String text) {
        try {
            return text != null && text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static AppError invalid(List<Map<String, String>> errors) {
        return new AppError(422, "invalid_parameters", "Invalid request parameters", Map.of("errors", errors));
    }

    static Map<String, String> field(String name, String message) {
        return Map.of("field", name, "message", message);
    }
}
