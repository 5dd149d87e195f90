package kg.evpower.simulator.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client WebSocket (JDK {@link WebSocket}, asynchronous). Whole text messages and the end of the connection are
 * reported to {@link Events}; sends are chained because the JDK allows one outstanding send at a time.
 */
public final class WebSocketLink implements WebSocket.Listener {
    public interface Events {
        void onText(WebSocketLink link, String text);

        /** Called exactly once, when the connection is gone (close frame, error or abort). */
        void onClosed(WebSocketLink link, int code, String reason);
    }

    private final Events events;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object sendLock = new Object();
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private volatile WebSocket webSocket;

    private WebSocketLink(Events events) {
        this.events = events;
    }

    public static CompletableFuture<WebSocketLink> connect(HttpClient client, URI uri, String subprotocol,
                                                           String authorization, Duration timeout, Events events) {
        WebSocketLink link = new WebSocketLink(events);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(timeout).subprotocols(subprotocol);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.buildAsync(uri, link).thenApply(ws -> {
            link.webSocket = ws;
            return link;
        });
    }

    public String subprotocol() {
        WebSocket ws = webSocket;
        return ws == null ? "" : ws.getSubprotocol();
    }

    public boolean isOpen() {
        WebSocket ws = webSocket;
        return ws != null && !closed.get() && !ws.isOutputClosed();
    }

    /** Queues a text frame; a failed send aborts the connection (reported through onClosed). */
    public void send(String text) {
        synchronized (sendLock) {
            sendChain = sendChain
                    .thenCompose(ignored -> isOpen() ? webSocket.sendText(text, true) : CompletableFuture.completedFuture(null))
                    .exceptionally(error -> {
                        abort(1006, "send failed: " + error.getMessage());
                        return null;
                    });
        }
    }

    /** Sends a close frame after the queued frames; aborts if the peer does not answer it within the grace period. */
    public CompletableFuture<Void> close(int code, String reason, Duration grace) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (sendLock) {
            sendChain = sendChain
                    .thenCompose(ignored -> {
                        WebSocket ws = webSocket;
                        return ws == null || ws.isOutputClosed() ? CompletableFuture.completedFuture(null)
                                : ws.sendClose(code, reason);
                    })
                    .exceptionally(error -> null)
                    .whenComplete((ignored, error) -> CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> {
                                abort(code, reason);
                                done.complete(null);
                            }));
        }
        return done;
    }

    public void abort(int code, String reason) {
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        fireClosed(code, reason);
    }

    private void fireClosed(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            events.onClosed(this, code, reason);
        }
    }

    @Override
    public void onOpen(WebSocket ws) {
        this.webSocket = ws;
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            events.onText(this, text);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        // Answer the peer's close, then report. The JDK completes the close handshake when this stage completes.
        fireClosed(statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        fireClosed(1006, String.valueOf(error.getMessage()));
    }
}
