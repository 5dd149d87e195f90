package kg.evpower.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import kg.evpower.simulator.ocpp.FrameCodec;
import kg.evpower.simulator.ocpp.OcppFrame;

/** A Vert.x WebSocket server on 127.0.0.1 that plays the central system in tests. */
final class CentralSystemStub implements AutoCloseable {
    record Handshake(String path, String authorization, String subprotocol) {
    }

    record Received(String stationId, String messageId, String action, JsonNode payload, long atNanos) {
    }

    /** What the stub answers to a CALL: a result payload, a CALLERROR, or nothing. */
    record Answer(JsonNode result, String errorCode) {
        static Answer result(JsonNode payload) {
            return new Answer(payload, null);
        }

        static Answer error(String code) {
            return new Answer(null, code);
        }

        static final Answer NONE = new Answer(null, null);
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    final List<Handshake> handshakes = new ArrayList<>();
    private final List<Received> received = new ArrayList<>();
    private final List<Boolean> consumed = new ArrayList<>();
    private final Map<String, ServerWebSocket> sockets = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<OcppFrame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger transactionIds = new AtomicInteger(1000);
    private final AtomicInteger commandIds = new AtomicInteger();
    volatile int heartbeatInterval = 60;
    volatile Function<Received, Answer> responder = r -> null;
    volatile boolean refuseConnections;

    CentralSystemStub() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of("ocpp1.6")))
                .webSocketHandler(this::accept)
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "ws://127.0.0.1:" + server.actualPort() + "/ocpp";
    }

    private void accept(ServerWebSocket ws) {
        if (refuseConnections) {
            ws.reject(503);
            return;
        }
        String path = ws.path();
        String stationId = path.substring(path.lastIndexOf('/') + 1);
        synchronized (handshakes) {
            handshakes.add(new Handshake(path, ws.headers().get("Authorization"), ws.headers().get("Sec-WebSocket-Protocol")));
        }
        sockets.put(stationId, ws);
        ws.textMessageHandler(text -> onText(stationId, ws, text));
        ws.closeHandler(v -> sockets.remove(stationId, ws));
    }

    private void onText(String stationId, ServerWebSocket ws, String text) {
        OcppFrame frame;
        try {
            frame = FrameCodec.parse(text);
        } catch (FrameCodec.MalformedFrameException e) {
            throw new IllegalStateException("station sent a malformed frame: " + text);
        }
        if (frame instanceof OcppFrame.Call call) {
            Received r = new Received(stationId, call.messageId(), call.action(), call.payload(), System.nanoTime());
            synchronized (received) {
                received.add(r);
                consumed.add(false);
                received.notifyAll();
            }
            Answer answer = responder.apply(r);
            if (answer == null) {
                answer = Answer.result(defaultAnswer(r));
            }
            if (answer.errorCode() != null) {
                ws.writeTextMessage(FrameCodec.write(new OcppFrame.CallError(call.messageId(), answer.errorCode(),
                        "stub", FrameCodec.object())));
            } else if (answer.result() != null) {
                ws.writeTextMessage(FrameCodec.write(new OcppFrame.CallResult(call.messageId(), answer.result())));
            }
        } else {
            CompletableFuture<OcppFrame> future = pending.remove(frame.messageId());
            if (future != null) {
                future.complete(frame);
            }
        }
    }

    ObjectNode defaultAnswer(Received r) {
        ObjectNode answer = FrameCodec.object();
        switch (r.action()) {
            case "BootNotification" -> answer.put("status", "Accepted").put("currentTime", Instant.now().toString())
                    .put("interval", heartbeatInterval);
            case "Heartbeat" -> answer.put("currentTime", Instant.now().toString());
            case "Authorize", "StopTransaction" -> answer.putObject("idTagInfo").put("status", "Accepted");
            case "StartTransaction" -> {
                answer.put("transactionId", transactionIds.incrementAndGet());
                answer.putObject("idTagInfo").put("status", "Accepted");
            }
            case "DataTransfer" -> answer.put("status", "Accepted");
            default -> {
            }
        }
        return answer;
    }

    static ObjectNode boot(String status, int interval) {
        return FrameCodec.object().put("status", status).put("currentTime", Instant.now().toString()).put("interval", interval);
    }

    /** Sends a CALL to a station and waits for its CALLRESULT or CALLERROR. */
    OcppFrame call(String stationId, String action, ObjectNode payload) throws Exception {
        return call(stationId, action, payload, Duration.ofSeconds(5));
    }

    OcppFrame call(String stationId, String action, ObjectNode payload, Duration timeout) throws Exception {
        ServerWebSocket ws = awaitSocket(stationId);
        String id = "cs-" + commandIds.incrementAndGet();
        CompletableFuture<OcppFrame> future = new CompletableFuture<>();
        pending.put(id, future);
        ws.writeTextMessage(FrameCodec.write(new OcppFrame.Call(id, action, payload)));
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sendRaw(String stationId, String text) throws Exception {
        awaitSocket(stationId).writeTextMessage(text);
    }

    ServerWebSocket awaitSocket(String stationId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            ServerWebSocket ws = sockets.get(stationId);
            if (ws != null) {
                return ws;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("station " + stationId + " is not connected");
    }

    void disconnect(String stationId) throws InterruptedException {
        awaitSocket(stationId).close((short) 1001, "test");
        sockets.remove(stationId);
    }

    /** The next not yet consumed CALL of this action from this station. */
    Received await(String stationId, String action, Duration timeout) throws InterruptedException {
        return await(r -> r.stationId().equals(stationId) && r.action().equals(action), timeout,
                stationId + " " + action);
    }

    Received await(Predicate<Received> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (int i = 0; i < received.size(); i++) {
                    if (!consumed.get(i) && match.test(received.get(i))) {
                        consumed.set(i, true);
                        return received.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms; got "
                            + received.stream().map(r -> r.stationId() + ":" + r.action()).toList());
                }
                received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    List<Received> all(String stationId) {
        synchronized (received) {
            return received.stream().filter(r -> r.stationId().equals(stationId)).toList();
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
