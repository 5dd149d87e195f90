package kg.evpower.gateway.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.gateway.metrics.GatewayMetrics;
import kg.evpower.gateway.ocpp.frame.OcppCallException;
import kg.evpower.gateway.ocpp.frame.OcppFrame;
import kg.evpower.gateway.ocpp.message.MessageSchemas;
import kg.evpower.gateway.ocpp.session.CallFailure;
import kg.evpower.gateway.ocpp.session.PendingCall;
import kg.evpower.gateway.ocpp.session.SessionRegistry;
import kg.evpower.gateway.ocpp.session.StationSession;
import kg.evpower.gateway.repository.Sql;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.ProblemException;
import kg.evpower.platform.sql.SqlTransactional;
import kg.evpower.platform.vertx.NewContext;

/**
 * Central system → station commands: validated against the 1.6 rules, delivered on this replica or forwarded to the one
 * holding the socket, answered with the station's CALLRESULT (or a clear error), every outcome recorded per station.
 */
@ApplicationScoped
public class CommandService {

    private final GatewayMetrics metrics;

    public record LoggedCommand(long id, String messageId, String action, JsonNode request, String outcome,
            JsonNode response, String errorCode, String errorDescription, String correlationId, String instanceId,
            Instant requestedAt, Instant completedAt) {
    }

    private final SessionRegistry registry;
    private final StationRouting routing;
    private final CommandForwarder forwarder;
    private final GatewayConfig config;
    private final Outbox outbox;
    private final Pool pool;
    private final Vertx vertx;
    private final ObjectMapper mapper;

    CommandService(SessionRegistry registry, StationRouting routing, CommandForwarder forwarder, GatewayConfig config,
            Outbox outbox, Pool pool, Vertx vertx, ObjectMapper mapper, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.mapper = mapper;
        this.registry = registry;
        this.routing = routing;
        this.forwarder = forwarder;
        this.config = config;
        this.outbox = outbox;
        this.pool = pool;
        this.vertx = vertx;
    }

    /** Checks the action and payload; throws the 404/400 problem the caller gets. */
    public static void validate(String action, JsonNode payload) {
        MessageSchemas.Message message = MessageSchemas.find(action)
                .filter(m -> m.direction() != MessageSchemas.Direction.STATION_TO_CS)
                .orElseThrow(() -> ProblemException.notFound("UNKNOWN_ACTION",
                        "No central-system command is called " + action));
        OcppCallException violation = message.request().check(payload == null ? JsonNodeFactory.instance.objectNode()
                : payload);
        if (violation != null) {
            throw new ProblemException(400, "VALIDATION_FAILED", "Bad request",
                    "The payload breaks the OCPP 1.6 rules of " + action,
                    List.of(new Problem.FieldError(violation.code().name(), violation.description())));
        }
    }

    /** Sends a validated command to the station wherever its socket lives. */
    public Uni<CommandResult> send(String stationId, String action, JsonNode payload, String correlationId) {
        long started = System.nanoTime();
        return route(stationId, action, payload, correlationId).invoke(result -> metrics.commandCompleted(action,
                result.code() == null ? "ANSWERED" : result.code(), java.time.Duration.ofNanos(System.nanoTime() - started)));
    }

    private Uni<CommandResult> route(String stationId, String action, JsonNode payload, String correlationId) {
        validate(action, payload);
        StationSession local = registry.find(stationId).filter(s -> !s.isClosed()).orElse(null);
        if (local != null) {
            return deliver(local, action, payload, correlationId);
        }
        return routing.owner(stationId).chain(owner -> {
            if (owner == null || owner.equals(routing.instanceId())) {
                return Uni.createFrom().item(offline(stationId));
            }
            return forwarder.forward(owner, stationId, action, payload, correlationId);
        });
    }

    /** Delivers to a socket on this replica (also used for commands forwarded here by another replica). */
    public Uni<CommandResult> deliverLocal(String stationId, String action, JsonNode payload, String correlationId) {
        StationSession local = registry.find(stationId).filter(s -> !s.isClosed()).orElse(null);
        return local == null ? Uni.createFrom().item(offline(stationId)) : deliver(local, action, payload, correlationId);
    }

    static CommandResult offline(String stationId) {
        return CommandResult.failed(409, "STATION_OFFLINE", "Station " + stationId + " is not connected");
    }

    Uni<CommandResult> deliver(StationSession session, String action, JsonNode payload, String correlationId) {
        PendingCall call;
        try {
            call = session.call(action, payload, correlationId, config.commands().timeout(),
                    config.commands().queueSize());
        } catch (CallFailure failure) {
            return Uni.createFrom().item(failure.reason() == CallFailure.Reason.QUEUE_FULL
                    ? CommandResult.failed(503, "COMMAND_QUEUE_FULL", failure.getMessage())
                    : offline(session.chargePointId()));
        }
        Log.infof("Station %s: %s %s sent (correlation %s)", session.chargePointId(), action, call.messageId(),
                correlationId);
        return Uni.createFrom().completionStage(call.answer())
                .map(frame -> switch (frame) {
                    case OcppFrame.CallResult result -> CommandResult.answered(action, call.messageId(),
                            result.payload());
                    case OcppFrame.CallError error -> CommandResult.callError(action, call.messageId(),
                            error.errorCode(), error.errorDescription());
                    case OcppFrame.Call ignored -> throw new IllegalStateException("a CALL is not an answer");
                })
                .onFailure(CallFailure.class).recoverWithItem(failure -> switch (((CallFailure) failure).reason()) {
                    case TIMEOUT -> new CommandResult(504, "STATION_TIMEOUT", failure.getMessage(), action,
                            call.messageId(), null, null, null);
                    default -> new CommandResult(409, "STATION_OFFLINE", failure.getMessage(), action,
                            call.messageId(), null, null, null);
                })
                .call(result -> NewContext.run(vertx, () -> recorded(session.chargePointId(), call, result))
                        .onFailure().invoke(f -> Log.errorf("Command %s not recorded: %s", call.messageId(), f))
                        .onFailure().recoverWithNull());
    }

    /** ChangeAvailability of the whole station (connector 0) after a security status change; fire and forget. */
    public void changeAvailability(StationSession session, boolean operative) {
        JsonNode payload = JsonNodeFactory.instance.objectNode().put("connectorId", 0)
                .put("type", operative ? "Operative" : "Inoperative");
        deliver(session, "ChangeAvailability", payload, "security-" + UUID.randomUUID())
                .subscribe().with(result -> Log.infof("Station %s: ChangeAvailability %s → %s", session.chargePointId(),
                        payload.get("type").asText(), result.status() == 200 ? result.payload() : result.code()),
                        failure -> Log.warnf("Station %s: ChangeAvailability failed: %s", session.chargePointId(),
                                failure.toString()));
    }

    @SqlTransactional
    Uni<Void> recorded(String stationId, PendingCall call, CommandResult result) {
        String outcome = switch (result.status()) {
            case 200 -> "ANSWERED";
            case 502 -> "CALL_ERROR";
            case 504 -> "TIMEOUT";
            default -> "OFFLINE";
        };
        Uni<Integer> insert = Sql.update("""
                INSERT INTO station_command (station_id, message_id, action, request, outcome, response, error_code,
                    error_description, correlation_id, instance_id, requested_at)
                VALUES (?1, ?2, ?3, CAST(?4 AS jsonb), ?5, CAST(?6 AS jsonb), ?7, ?8, ?9, ?10, ?11)""",
                stationId, call.messageId(), call.action(), call.payload().toString(), outcome,
                result.payload() == null ? null : result.payload().toString(), result.ocppErrorCode(),
                truncate(result.ocppErrorDescription()), call.correlationId(), routing.instanceId(), call.requestedAt());
        if ("OFFLINE".equals(outcome)) {
            return insert.replaceWithVoid();
        }
        return insert.chain(() -> outbox.append(GatewayEvents.STREAM, GatewayEvents.COMMAND_COMPLETED, stationId,
                new GatewayEvents.CommandCompleted(stationId, call.action(), call.messageId(), outcome,
                        call.correlationId()))).replaceWithVoid();
    }

    public Uni<List<LoggedCommand>> log(String stationId, int page, int size) {
        return pool.preparedQuery("""
                SELECT * FROM station_command WHERE station_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3""")
                .execute(Tuple.of(stationId, size, (long) page * size))
                .map(rows -> {
                    java.util.ArrayList<LoggedCommand> list = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        list.add(new LoggedCommand(row.getLong("id"), row.getString("message_id"),
                                row.getString("action"), json(row.getValue("request")), row.getString("outcome"),
                                json(row.getValue("response")), row.getString("error_code"),
                                row.getString("error_description"), row.getString("correlation_id"),
                                row.getString("instance_id"), row.getOffsetDateTime("requested_at").toInstant(),
                                row.getOffsetDateTime("completed_at").toInstant()));
                    }
                    return list;
                });
    }

    private JsonNode json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.readTree(value.toString());
        } catch (Exception e) {
            return JsonNodeFactory.instance.textNode(value.toString());
        }
    }

    private static String truncate(String value) {
        return value == null || value.length() <= 500 ? value : value.substring(0, 500);
    }
}
