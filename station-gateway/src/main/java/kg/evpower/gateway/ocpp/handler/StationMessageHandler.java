package kg.evpower.gateway.ocpp.handler;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.gateway.ocpp.frame.CallErrors;
import kg.evpower.gateway.ocpp.frame.OcppCallException;
import kg.evpower.gateway.metrics.GatewayMetrics;
import kg.evpower.gateway.ocpp.frame.OcppFrame;
import kg.evpower.gateway.ocpp.message.AuthorizeRequest;
import kg.evpower.gateway.ocpp.message.BootNotificationRequest;
import kg.evpower.gateway.ocpp.message.DataTransferRequest;
import kg.evpower.gateway.ocpp.message.DiagnosticsStatusNotificationRequest;
import kg.evpower.gateway.ocpp.message.FirmwareStatusNotificationRequest;
import kg.evpower.gateway.ocpp.message.IdTagInfo;
import kg.evpower.gateway.ocpp.message.MessageSchemas;
import kg.evpower.gateway.ocpp.message.MeterValuesRequest;
import kg.evpower.gateway.ocpp.message.OcppTime;
import kg.evpower.gateway.ocpp.message.SecurityEventNotificationRequest;
import kg.evpower.gateway.ocpp.message.StartTransactionRequest;
import kg.evpower.gateway.ocpp.message.StatusNotificationRequest;
import kg.evpower.gateway.ocpp.message.StopTransactionRequest;
import kg.evpower.gateway.ocpp.session.StationSession;
import kg.evpower.platform.vertx.NewContext;
import kg.evpower.gateway.service.CommandService;
import kg.evpower.gateway.service.ConnectorStatusWriter;
import kg.evpower.gateway.service.IdTagService;
import kg.evpower.gateway.service.MeterValueWriter;
import kg.evpower.gateway.service.StationMessageWriter;
import kg.evpower.gateway.service.StationRouting;
import kg.evpower.gateway.service.StationService;
import kg.evpower.gateway.service.TransactionService;

/** Answers every station → central system CALL: validate against the 1.6 rules, persist with its event, reply. */
@ApplicationScoped
public class StationMessageHandler {

    private final GatewayMetrics metrics;

    /** What to answer, and what to do once the answer is on its way (e.g. a command that must follow it). */
    record Reply(JsonNode payload, Runnable afterSend) {
        static Reply of(JsonNode payload) {
            return new Reply(payload, null);
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The answer of MeterValues and StatusNotification: an empty object (never changed once sent). */
    private static final Reply EMPTY = Reply.of(JSON.objectNode());

    private final StationService stations;
    private final TransactionService transactions;
    private final MeterValueWriter meterValues;
    private final ConnectorStatusWriter statuses;
    private final StationMessageWriter messages;
    private final IdTagService idTags;
    private final CommandService commands;
    private final StationRouting routing;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final List<String> acceptedVendorIds;

    StationMessageHandler(StationService stations, TransactionService transactions, MeterValueWriter meterValues,
            ConnectorStatusWriter statuses, StationMessageWriter messages, IdTagService idTags, CommandService commands, StationRouting routing,
            GatewayConfig config, Vertx vertx,
            @ConfigProperty(name = "evpower.gateway.ocpp.data-transfer-vendors") Optional<List<String>> vendors,
            GatewayMetrics metrics) {
        this.metrics = metrics;
        this.stations = stations;
        this.transactions = transactions;
        this.meterValues = meterValues;
        this.statuses = statuses;
        this.messages = messages;
        this.idTags = idTags;
        this.commands = commands;
        this.routing = routing;
        this.config = config;
        this.vertx = vertx;
        this.acceptedVendorIds = vendors.orElse(List.of());
    }

    /** Processes one CALL and sends its CALLRESULT or CALLERROR; never fails. */
    public CompletionStage<Void> handle(StationSession session, OcppFrame.Call call) {
        return switch (call.action()) {
            case "MeterValues" -> groupCommitted(session, call, payload -> meterValues
                    .write(session.chargePointId(), MeterValuesRequest.from(payload)).map(EMPTY));
            case "StatusNotification" -> groupCommitted(session, call, payload -> statuses
                    .write(session.chargePointId(), StatusNotificationRequest.from(payload)).map(EMPTY));
            case "Authorize" -> groupCommitted(session, call,
                    payload -> authorize(session.chargePointId(), payload, AuthorizeRequest.from(payload)));
            default -> NewContext.run(vertx, () -> {
                        MDC.put("stationId", session.chargePointId());
                        MDC.put("ocppMessageId", call.messageId());
                        return dispatch(session, call);
                    })
                    .map(reply -> {
                        answered(session, call, reply);
                        return (Void) null;
                    })
                    .onFailure().recoverWithItem(failure -> {
                        failed(session, call, failure);
                        return null;
                    })
                    .subscribeAsCompletionStage();
        };
    }

    /**
     * The most frequent messages (MeterValues, StatusNotification, Authorize) on plain Vert.x futures (no Mutiny
     * operators, no context captured per step): checked, then handed to a group commit, answered once their rows are
     * committed.
     */
    private CompletionStage<Void> groupCommitted(StationSession session, OcppFrame.Call call,
            Function<JsonNode, Future<Reply>> write) {
        Future<Reply> written;
        try {
            written = write.apply(checked(call));
        } catch (RuntimeException e) {
            failed(session, call, e);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        written.onComplete(result -> {
            try {
                if (result.succeeded()) {
                    answered(session, call, result.result());
                } else {
                    failed(session, call, result.cause());
                }
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private void answered(StationSession session, OcppFrame.Call call, Reply reply) {
        session.send(new OcppFrame.CallResult(call.messageId(), reply.payload()));
        metrics.messageHandled(call.action(), "result");
        if (reply.afterSend() != null) {
            reply.afterSend().run();
        }
    }

    private void failed(StationSession session, OcppFrame.Call call, Throwable failure) {
        OcppCallException error;
        if (failure instanceof OcppCallException known) {
            error = known;
        } else {
            Log.errorf(failure, "Station %s: %s %s failed", session.chargePointId(), call.action(), call.messageId());
            error = CallErrors.internal();
        }
        session.send(CallErrors.frame(call.messageId(), error));
        metrics.messageHandled(call.action(), error.code().name());
    }

    /** The payload of a CALL a station may send, checked against its 1.6 schema; throws the CALLERROR otherwise. */
    private static JsonNode checked(OcppFrame.Call call) {
        String action = call.action();
        MessageSchemas.Message message = MessageSchemas.find(action).orElse(null);
        if (message == null) {
            throw MessageSchemas.NOT_SUPPORTED.contains(action) ? CallErrors.notSupported(action)
                    : CallErrors.notImplemented(action);
        }
        if (message.direction() == MessageSchemas.Direction.CS_TO_STATION) {
            throw CallErrors.notSupported(action);
        }
        OcppCallException violation = message.request().check(call.payload());
        if (violation != null) {
            throw violation;
        }
        return call.payload();
    }

    Uni<Reply> dispatch(StationSession session, OcppFrame.Call call) {
        String action = call.action();
        checked(call);
        String id = session.chargePointId();
        JsonNode payload = call.payload();
        return switch (action) {
            case "BootNotification" -> boot(session, BootNotificationRequest.from(payload));
            case "Heartbeat" -> stations.touched(id, routing.instanceId())
                    .replaceWith(Reply.of(JSON.objectNode().put("currentTime", OcppTime.now())));
            case "StartTransaction" -> startTransaction(id, StartTransactionRequest.from(payload));
            case "StopTransaction" -> stopTransaction(id, payload, StopTransactionRequest.from(payload));
            case "DataTransfer" -> dataTransfer(id, payload, DataTransferRequest.from(payload));
            case "DiagnosticsStatusNotification" -> {
                var status = DiagnosticsStatusNotificationRequest.from(payload).status();
                yield record(id, action, payload, JSON.objectNode(), GatewayEvents.DIAGNOSTICS_STATUS_CHANGED,
                        new GatewayEvents.DiagnosticsStatusChanged(id, status));
            }
            case "FirmwareStatusNotification" -> {
                var status = FirmwareStatusNotificationRequest.from(payload).status();
                yield record(id, action, payload, JSON.objectNode(), GatewayEvents.FIRMWARE_STATUS_CHANGED,
                        new GatewayEvents.FirmwareStatusChanged(id, status));
            }
            case "SecurityEventNotification" -> {
                var event = SecurityEventNotificationRequest.from(payload);
                yield record(id, action, payload, JSON.objectNode(), GatewayEvents.SECURITY_EVENT_RECEIVED,
                        new GatewayEvents.SecurityEventReceived(id, event.type(), event.timestamp(), event.techInfo()));
            }
            default -> throw CallErrors.notSupported(action);
        };
    }

    private Uni<Reply> boot(StationSession session, BootNotificationRequest boot) {
        String security = session.securityStatus();
        String status;
        long interval;
        if ("ACTIVE".equals(security)) {
            status = "Accepted";
            interval = config.ocpp().heartbeatInterval().toSeconds();
        } else if ("OUT_OF_SERVICE".equals(security)) {
            status = "Pending";
            interval = config.ocpp().pendingInterval().toSeconds();
        } else {
            status = "Rejected";
            interval = config.ocpp().pendingInterval().toSeconds();
        }
        ObjectNode answer = JSON.objectNode().put("status", status).put("currentTime", OcppTime.now())
                .put("interval", interval);
        Runnable after = "OUT_OF_SERVICE".equals(security)
                ? () -> commands.changeAvailability(session, false)
                : null;
        return stations.booted(session.chargePointId(), boot, status,
                        (int) ("Accepted".equals(status) ? interval : config.ocpp().heartbeatInterval().toSeconds()))
                .replaceWith(new Reply(answer, after));
    }

    private Future<Reply> authorize(String id, JsonNode payload, AuthorizeRequest request) {
        return idTags.authorization(request.idTag()).compose(info -> {
            ObjectNode answer = JSON.objectNode().set("idTagInfo", info.toJson());
            return messages.write(id, "Authorize", payload.toString(), answer.toString(),
                    GatewayEvents.ID_TAG_AUTHORIZED, new GatewayEvents.IdTagAuthorized(id, request.idTag(),
                            info.status())).map(Reply.of(answer));
        });
    }

    private Uni<Reply> startTransaction(String id, StartTransactionRequest start) {
        return idTags.authorize(start.idTag()).chain(info -> transactions.start(id, start, info)
                .map(started -> Reply.of(JSON.objectNode().put("transactionId", started.transactionId())
                        .set("idTagInfo", info.toJson()))));
    }

    private Uni<Reply> stopTransaction(String id, JsonNode payload, StopTransactionRequest stop) {
        Uni<IdTagInfo> authorization = stop.idTag() == null ? Uni.createFrom().nullItem()
                : idTags.authorize(stop.idTag());
        return authorization.chain(info -> {
            ObjectNode answer = JSON.objectNode();
            if (info != null) {
                answer.set("idTagInfo", info.toJson());
            }
            return transactions.stop(id, stop).chain(stopped -> {
                if (!stopped.known()) {
                    Log.warnf("Station %s stopped unknown transaction %d", id, stop.transactionId());
                    return stations.messageRecorded(id, "StopTransaction", payload.toString(), answer.toString(),
                            null, null).replaceWith(Reply.of(answer));
                }
                return Uni.createFrom().item(Reply.of(answer));
            });
        });
    }

    private Uni<Reply> dataTransfer(String id, JsonNode payload, DataTransferRequest request) {
        String status = acceptedVendorIds.contains(request.vendorId()) ? "Accepted" : "UnknownVendorId";
        ObjectNode answer = JSON.objectNode().put("status", status);
        String data = request.data() == null ? null
                : request.data().isTextual() ? request.data().asText() : request.data().toString();
        return record(id, "DataTransfer", payload, answer, GatewayEvents.DATA_TRANSFER_RECEIVED,
                new GatewayEvents.DataTransferReceived(id, request.vendorId(), request.messageId(), data));
    }

    private Uni<Reply> record(String id, String action, JsonNode payload, ObjectNode answer, String eventType,
            Object event) {
        return stations.messageRecorded(id, action, payload.toString(), answer.toString(), eventType, event)
                .replaceWith(Reply.of(answer));
    }
}
