package kg.evpower.charging.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.json.JsonObject;

/** A java.net.http app socket that queues every JSON message it receives. */
public final class AppSocket implements WebSocket.Listener, AutoCloseable {

    public final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    public static AppSocket open(URI uri, Map<String, String> headers) throws Exception {
        AppSocket s = new AppSocket();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(b::header);
        s.socket = b.buildAsync(uri, s).get(10, TimeUnit.SECONDS);
        return s;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message matching {@code match} (others are skipped), or null after {@code timeout}. */
    public JsonObject next(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            JsonObject m = received.poll(left, TimeUnit.NANOSECONDS);
            if (m != null && match.test(m)) {
                return m;
            }
        }
    }

    public JsonObject next(String type) throws InterruptedException {
        return next(m -> type.equals(m.getString("type")), Duration.ofSeconds(15));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                // Jackson directly: vert.x's Json codec must not be initialised on the HTTP client's threads
                received.add(new JsonObject(MAPPER.readValue(partial.toString(), java.util.LinkedHashMap.class)));
            } catch (Exception e) {
                received.add(new JsonObject().put("type", "unparsable"));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(f -> null).join();
        }
    }
}
