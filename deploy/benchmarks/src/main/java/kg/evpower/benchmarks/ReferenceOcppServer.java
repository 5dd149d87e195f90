package kg.evpower.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * The "ceiling" of issue 9: the smallest OCPP 1.6J central system that is still honest. It accepts any station id on
 * any path with subprotocol {@code ocpp1.6}, parses every frame with Jackson, and answers every CALL with a CALLRESULT
 * that is valid against the OCPP 1.6 response schema (BootNotification, Heartbeat, StatusNotification, Authorize,
 * StartTransaction, MeterValues, StopTransaction) or a CALLERROR {@code NotImplemented}. No authentication, no storage,
 * no events: whatever the gateway costs beyond this is the price of its work.
 *
 * <pre>java -cp deploy/benchmarks/target/benchmarks.jar kg.evpower.benchmarks.ReferenceOcppServer --port 18181</pre>
 *
 * Options: {@code --port P} (18181, 0 = any), {@code --host H} (127.0.0.1), {@code --event-loops N} (number of cores:
 * one server verticle per event loop). Prints {@code listening on PORT} when ready; on SIGTERM prints the number of
 * connections and answered calls to stderr.
 */
public final class ReferenceOcppServer implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Vertx vertx;
    private volatile int port;
    final AtomicLong answered = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    private final AtomicInteger transactionIds = new AtomicInteger();

    private ReferenceOcppServer(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts the server; {@code port} 0 picks a free port (see {@link #port()}). */
    public static ReferenceOcppServer start(String host, int port, int eventLoops) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setWebSocketSubProtocols(List.of("ocpp1.6"))
                .setMaxWebSocketMessageSize(1 << 20)
                .setTcpNoDelay(true);
        ReferenceOcppServer server = new ReferenceOcppServer(vertx);
        if (port == 0) {
            // A random port cannot be shared by several verticles: one server on one event loop.
            eventLoops = 1;
        }
        int[] bound = new int[1];
        CountDownLatch ready = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(options)
                        .webSocketHandler(server::accept)
                        .listen()
                        .onSuccess(server -> {
                            bound[0] = server.actualPort();
                            started.complete();
                        })
                        .onFailure(started::fail);
            }
        }, new DeploymentOptions().setInstances(eventLoops)).onComplete(result -> {
            if (result.failed()) {
                failure[0] = result.cause();
            }
            ready.countDown();
        });
        if (!ready.await(30, TimeUnit.SECONDS) || failure[0] != null) {
            vertx.close();
            throw new IllegalStateException("reference server did not start", failure[0]);
        }
        server.port = bound[0];
        return server;
    }

    public int port() {
        return port;
    }

    public long answeredCalls() {
        return answered.get();
    }

    private void accept(ServerWebSocket ws) {
        connections.incrementAndGet();
        ws.textMessageHandler(text -> {
            String reply = answer(text);
            if (reply != null) {
                ws.writeTextMessage(reply);
            }
        });
        ws.exceptionHandler(e -> ws.close());
    }

    /** The frame to send back for one received text frame, or null (answers and unreadable frames are dropped). */
    String answer(String text) {
        JsonNode frame;
        try {
            frame = MAPPER.readTree(text);
        } catch (Exception e) {
            return null;
        }
        if (frame == null || !frame.isArray() || frame.size() < 3 || !frame.get(1).isTextual()) {
            return null;
        }
        String messageId = frame.get(1).asText();
        if (frame.get(0).asInt() != 2) {
            return null; // CALLRESULT / CALLERROR from the station: nothing to answer
        }
        if (frame.size() != 4 || !frame.get(2).isTextual() || !frame.get(3).isObject()) {
            return write(error(messageId, "FormationViolation", "CALL must be [2, id, action, {payload}]"));
        }
        String action = frame.get(2).asText();
        JsonNode payload = frame.get(3);
        ObjectNode result = JSON.objectNode();
        switch (action) {
            case "BootNotification" -> result.put("status", "Accepted").put("currentTime", now()).put("interval", 300);
            case "Heartbeat" -> result.put("currentTime", now());
            case "StatusNotification", "MeterValues" -> { }
            case "Authorize" -> result.set("idTagInfo", accepted());
            case "StartTransaction" -> result.put("transactionId", transactionIds.incrementAndGet())
                    .set("idTagInfo", accepted());
            case "StopTransaction" -> {
                if (payload.hasNonNull("idTag")) {
                    result.set("idTagInfo", accepted());
                }
            }
            default -> {
                answered.incrementAndGet();
                return write(error(messageId, "NotImplemented", "Action " + action + " is not implemented"));
            }
        }
        answered.incrementAndGet();
        ArrayNode reply = JSON.arrayNode().add(3).add(messageId).add(result);
        return write(reply);
    }

    private static ObjectNode accepted() {
        return JSON.objectNode().put("status", "Accepted");
    }

    private static ArrayNode error(String messageId, String code, String description) {
        return JSON.arrayNode().add(4).add(messageId).add(code).add(description).add(JSON.objectNode());
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 18181;
        int eventLoops = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> { port = Integer.parseInt(value); i++; }
                case "--host" -> { host = value; i++; }
                case "--event-loops" -> { eventLoops = Integer.parseInt(value); i++; }
                case "-h", "--help" -> {
                    System.out.println("ReferenceOcppServer [--port 18181] [--host 127.0.0.1] [--event-loops N]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        ReferenceOcppServer server = start(host, port, eventLoops);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.printf("reference server: %d connections, %d calls answered%n", server.connections.get(),
                    server.answered.get());
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
        System.out.println("listening on " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
