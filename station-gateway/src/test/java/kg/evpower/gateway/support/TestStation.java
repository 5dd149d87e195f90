package kg.evpower.gateway.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A charging station for tests: a real OCPP-J WebSocket client (java.net.http) that records every frame it gets. */
public final class TestStation implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final String id;
    public final WebSocket socket;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
    public final String subprotocol;

    private TestStation(String id, WebSocket socket, Listener listener) {
        this.id = id;
        this.socket = socket;
        this.subprotocol = socket.getSubprotocol();
        listener.station = this;
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers {@code id} as ACTIVE with security-service and connects with Basic auth and ocpp1.6. */
    public static TestStation connect(URI base, String id) {
        SecurityServiceStub.register(id, "secret-" + id, "ACTIVE");
        return connect(base, "/ocpp/", id, basic(id, "secret-" + id), "ocpp1.6");
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static TestStation connect(URI base, String path, String id, String authorization, String... subprotocols) {
        try {
            return open(base, path, id, authorization, subprotocols).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP status the upgrade was refused with (fails when it was accepted). */
    public static int refusedWith(URI base, String path, String id, String authorization, String... subprotocols) {
        try {
            TestStation station = open(base, path, id, authorization, subprotocols).get(10, TimeUnit.SECONDS);
            station.close();
            throw new AssertionError("upgrade was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw new AssertionError("unexpected failure", e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<TestStation> open(URI base, String path, String id, String authorization,
            String... subprotocols) {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws").replaceAll("/+$", "") + path + id);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (subprotocols.length > 0) {
            String[] rest = new String[subprotocols.length - 1];
            System.arraycopy(subprotocols, 1, rest, 0, rest.length);
            builder.subprotocols(subprotocols[0], rest);
        }
        Listener listener = new Listener();
        return builder.buildAsync(uri, listener).thenApply(ws -> new TestStation(id, ws, listener));
    }

    private static final class Listener implements WebSocket.Listener {
        volatile TestStation station;
        private final StringBuilder partial = new StringBuilder();
        private final java.util.List<String> early = new java.util.ArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (station != null) {
                    station.received.add(text);
                } else {
                    early.add(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (station != null) {
                station.closedWith.complete(statusCode);
            }
            return null;
        }
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a CALL and returns the answer frame to it ([3,...] or [4,...]). */
    public JsonArray call(String action, JsonObject payload) {
        String messageId = UUID.randomUUID().toString();
        sendText(new JsonArray().add(2).add(messageId).add(action).add(payload).encode());
        return awaitAnswer(messageId);
    }

    /** The CALLRESULT payload of a CALL, failing on a CALLERROR. */
    public JsonObject ok(String action, JsonObject payload) {
        JsonArray answer = call(action, payload);
        assertEquals(3, answer.getInteger(0), () -> action + " answered " + answer.encode());
        return answer.getJsonObject(2);
    }

    public JsonArray awaitAnswer(String messageId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        java.util.List<String> skipped = new java.util.ArrayList<>();
        try {
            while (System.nanoTime() < deadline) {
                String text = received.poll(100, TimeUnit.MILLISECONDS);
                if (text == null) {
                    continue;
                }
                JsonArray frame = new JsonArray(text);
                if (frame.getInteger(0) != 2 && messageId.equals(frame.getString(1))) {
                    received.addAll(skipped);
                    return frame;
                }
                skipped.add(text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        received.addAll(skipped);
        throw new AssertionError("no answer to " + messageId + "; got " + skipped);
    }

    /** The next frame of any kind. */
    public JsonArray next() {
        try {
            String text = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(text, "no frame received");
            return new JsonArray(text);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next CALL from the central system (skipping nothing else: answers are expected to have been consumed). */
    public JsonArray expectCall(String action) {
        JsonArray frame = next();
        assertEquals(2, frame.getInteger(0), () -> "expected a CALL, got " + frame.encode());
        assertEquals(action, frame.getString(2));
        return frame;
    }

    public void reply(JsonArray call, JsonObject payload) {
        sendText(new JsonArray().add(3).add(call.getString(1)).add(payload).encode());
    }

    public void replyError(JsonArray call, String code, String description) {
        sendText(new JsonArray().add(4).add(call.getString(1)).add(code).add(description).add(new JsonObject()).encode());
    }

    public boolean nothingWithin(Duration duration) {
        try {
            return received.poll(duration.toMillis(), TimeUnit.MILLISECONDS) == null;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonObject boot() {
        return ok("BootNotification", new JsonObject().put("chargePointVendor", "EvTest").put("chargePointModel", "T1")
                .put("chargePointSerialNumber", "SN-" + id).put("firmwareVersion", "1.0.0"));
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }
}
