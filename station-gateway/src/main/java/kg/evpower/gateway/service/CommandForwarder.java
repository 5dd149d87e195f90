package kg.evpower.gateway.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.platform.config.InstanceId;

/**
 * Cross-replica command delivery (ARCHITECTURE.md, "Scaling out"). A command for a station whose socket lives on replica
 * R is appended to {@code evpower.gateway.cmd.R}; R delivers it and appends the result to the caller's
 * {@code evpower.gateway.reply.{caller}}. Each replica reads only its own two streams; results are matched by request id
 * and a caller gives up after the command timeout plus a margin.
 */
@ApplicationScoped
public class CommandForwarder {

    static final String COMMAND_STREAM = "evpower.gateway.cmd.";
    static final String REPLY_STREAM = "evpower.gateway.reply.";
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static final Duration STREAM_EXPIRY = Duration.ofHours(1);

    private final ReactiveStreamCommands<String, String, String> streams;
    private final ReactiveRedisDataSource redis;
    private final Instance<CommandService> commands;
    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final String instanceId;
    private final ConcurrentMap<String, io.smallrye.mutiny.subscription.UniEmitter<? super CommandResult>> waiting =
            new ConcurrentHashMap<>();
    private volatile boolean stopped;

    CommandForwarder(ReactiveRedisDataSource redis, Instance<CommandService> commands, GatewayConfig config,
            ObjectMapper mapper, Vertx vertx, InstanceId instanceId) {
        this.redis = redis;
        this.streams = redis.stream(String.class, String.class, String.class);
        this.commands = commands;
        this.config = config;
        this.mapper = mapper;
        this.vertx = vertx;
        this.instanceId = instanceId.value();
    }

    void onStart(@Observes StartupEvent event) {
        start(COMMAND_STREAM + instanceId, this::onCommand);
        start(REPLY_STREAM + instanceId, this::onReply);
    }

    /** Reads from the newest entry present at start-up on, with concrete ids (no gap between reads). */
    private void start(String stream, java.util.function.Consumer<StreamMessage<String, String, String>> sink) {
        streams.xrevrange(stream, StreamRange.of("-", "+"), 1)
                .map(last -> last.isEmpty() ? "0-0" : last.get(0).id())
                .subscribe().with(from -> readLoop(stream, from, sink), failure -> {
                    Log.warnf("Cannot start reading %s (retrying): %s", stream, failure.toString());
                    vertx.setTimer(1000, id -> start(stream, sink));
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** Sends the command to {@code owner} and waits for its result. */
    public Uni<CommandResult> forward(String owner, String stationId, String action, JsonNode payload,
            String correlationId) {
        String requestId = UUID.randomUUID().toString();
        Duration wait = config.commands().timeout().plus(MARGIN);
        Map<String, String> entry = new java.util.HashMap<>();
        entry.put("requestId", requestId);
        entry.put("stationId", stationId);
        entry.put("action", action);
        entry.put("payload", payload.toString());
        entry.put("replyTo", REPLY_STREAM + instanceId);
        if (correlationId != null) {
            entry.put("correlationId", correlationId);
        }
        String stream = COMMAND_STREAM + owner;
        return Uni.createFrom().<CommandResult>emitter(emitter -> {
            waiting.put(requestId, emitter);
            append(stream, entry).subscribe().with(ok -> { }, failure -> {
                if (waiting.remove(requestId) != null) {
                    emitter.complete(CommandResult.failed(409, "STATION_OFFLINE",
                            "Station " + stationId + " could not be reached"));
                }
            });
        })
                .ifNoItem().after(wait).recoverWithItem(() -> new CommandResult(504, "STATION_TIMEOUT",
                        "No answer from the replica holding station " + stationId, action, null, null, null, null))
                .onTermination().invoke(() -> waiting.remove(requestId));
    }

    private Uni<Void> append(String stream, Map<String, String> entry) {
        return streams.xadd(stream, new XAddArgs().maxlen(1000L).nearlyExactTrimming(), entry)
                .chain(() -> redis.key().expire(stream, STREAM_EXPIRY)).replaceWithVoid();
    }

    private void onCommand(StreamMessage<String, String, String> message) {
        Map<String, String> entry = message.payload();
        String requestId = entry.get("requestId");
        String replyTo = entry.get("replyTo");
        JsonNode payload;
        try {
            payload = mapper.readTree(entry.get("payload"));
        } catch (Exception e) {
            Log.warnf("Forwarded command %s unreadable", requestId);
            return;
        }
        commands.get().deliverLocal(entry.get("stationId"), entry.get("action"), payload, entry.get("correlationId"))
                .onFailure().recoverWithItem(f -> CommandResult.failed(500, "INTERNAL_ERROR", "Delivery failed"))
                .chain(result -> append(replyTo, Map.of("requestId", requestId, "result", toJson(result))))
                .subscribe().with(ok -> { }, f -> Log.warnf("Reply to %s not sent: %s", requestId, f.toString()));
    }

    private void onReply(StreamMessage<String, String, String> message) {
        Map<String, String> entry = message.payload();
        var emitter = waiting.remove(entry.get("requestId"));
        if (emitter == null) {
            return;
        }
        try {
            JsonNode node = mapper.readTree(entry.get("result"));
            emitter.complete(new CommandResult(node.path("status").asInt(500), text(node, "code"),
                    text(node, "detail"), text(node, "action"), text(node, "messageId"),
                    node.hasNonNull("payload") ? node.get("payload") : null, text(node, "ocppErrorCode"),
                    text(node, "ocppErrorDescription")));
        } catch (Exception e) {
            emitter.fail(e);
        }
    }

    private String toJson(CommandResult result) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("status", result.status()).put("code", result.code())
                .put("detail", result.detail()).put("action", result.action()).put("messageId", result.messageId())
                .put("ocppErrorCode", result.ocppErrorCode()).put("ocppErrorDescription", result.ocppErrorDescription());
        node.set("payload", result.payload());
        return node.toString();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private void readLoop(String stream, String from, java.util.function.Consumer<StreamMessage<String, String, String>> sink) {
        if (stopped) {
            return;
        }
        streams.xread(stream, from, new XReadArgs().block(Duration.ofSeconds(2)).count(50))
                .subscribe().with(messages -> {
                    String last = from;
                    for (StreamMessage<String, String, String> message : messages) {
                        last = message.id();
                        try {
                            sink.accept(message);
                        } catch (RuntimeException e) {
                            Log.warnf("Entry %s of %s failed: %s", message.id(), stream, e.toString());
                        }
                    }
                    String next = last;
                    vertx.runOnContext(v -> readLoop(stream, next, sink));
                }, failure -> {
                    if (!stopped) {
                        Log.warnf("Reading %s failed (retrying): %s", stream, failure.toString());
                        vertx.setTimer(1000, id -> readLoop(stream, from, sink));
                    }
                });
    }

    List<String> streamsOfThisReplica() {
        return List.of(COMMAND_STREAM + instanceId, REPLY_STREAM + instanceId);
    }
}
