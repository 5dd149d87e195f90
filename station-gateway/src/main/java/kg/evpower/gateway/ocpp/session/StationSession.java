package kg.evpower.gateway.ocpp.session;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import kg.evpower.gateway.ocpp.frame.OcppFrame;

/**
 * One station's open socket on this replica. Keeps the OCPP-J rule of one outstanding CALL per direction: station CALLs
 * are processed one after the other in arrival order, and central-system CALLs wait in a bounded queue behind the one in
 * flight. Answers are matched by message id; an unmatched answer is logged and dropped.
 */
public final class StationSession {

    private final String chargePointId;
    private final WebSocketConnection connection;
    private final Vertx vertx;
    private final Function<OcppFrame, String> encoder;
    private volatile String securityStatus;
    private volatile boolean closed;
    private volatile long lastMessageNanos = System.nanoTime();
    private volatile long lastTouchNanos;
    private volatile long lastRouteNanos;

    private CompletableFuture<Void> inboundTail = CompletableFuture.completedFuture(null);
    /** Completed once the socket's close has been recorded (routing record released, station row updated). */
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
    private PendingCall inFlight;

    public StationSession(String chargePointId, WebSocketConnection connection, Vertx vertx, String securityStatus,
            Function<OcppFrame, String> encoder) {
        this.chargePointId = chargePointId;
        this.connection = connection;
        this.vertx = vertx;
        this.securityStatus = securityStatus;
        this.encoder = encoder;
        this.lastTouchNanos = System.nanoTime();
        this.lastRouteNanos = System.nanoTime();
    }

    public String chargePointId() {
        return chargePointId;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String securityStatus() {
        return securityStatus;
    }

    public void securityStatus(String status) {
        this.securityStatus = status;
    }

    public boolean isClosed() {
        return closed || connection.isClosed();
    }

    public void messageReceived() {
        lastMessageNanos = System.nanoTime();
    }

    public Duration idleFor() {
        return Duration.ofNanos(System.nanoTime() - lastMessageNanos);
    }

    /** True at most once per {@code every}: whether the station's last-message time should be written now. */
    public boolean touchDue(Duration every) {
        long now = System.nanoTime();
        if (now - lastTouchNanos >= every.toNanos()) {
            lastTouchNanos = now;
            return true;
        }
        return false;
    }

    /** True at most once per {@code every}: whether the routing record should be refreshed now. */
    public boolean routeRefreshDue(Duration every) {
        long now = System.nanoTime();
        if (now - lastRouteNanos >= every.toNanos()) {
            lastRouteNanos = now;
            return true;
        }
        return false;
    }

    /** Runs {@code work} after every earlier station CALL of this session has been answered. */
    public synchronized void inbound(Supplier<CompletionStage<Void>> work) {
        inboundTail = inboundTail.handle((ok, failure) -> null)
                .thenCompose(ignored -> {
                    try {
                        return work.get();
                    } catch (RuntimeException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                })
                .exceptionally(failure -> {
                    Log.warnf("Station %s: message processing failed: %s", chargePointId, failure.toString());
                    return null;
                });
    }

    /**
     * Completes when every station CALL received so far has been answered, including CALLs that arrive while waiting
     * (the caller bounds the wait).
     */
    public CompletableFuture<Void> inboundIdle() {
        CompletableFuture<Void> tail;
        synchronized (this) {
            tail = inboundTail;
        }
        return tail.handle((ok, failure) -> null).thenCompose(ignored -> {
            synchronized (this) {
                if (inboundTail == tail) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
            }
            return inboundIdle();
        });
    }

    /** Completes once this socket's close has been recorded (see {@link #markReleased()}). */
    public CompletableFuture<Void> released() {
        return released;
    }

    public void markReleased() {
        released.complete(null);
    }

    public void send(OcppFrame frame) {
        if (isClosed()) {
            return;
        }
        connection.sendText(encoder.apply(frame)).subscribe().with(ok -> { },
                failure -> Log.debugf("Station %s: send failed: %s", chargePointId, failure.toString()));
    }

    /** Queues a CALL to the station; the answer completes the returned call. Fails at once when the queue is full. */
    public synchronized PendingCall call(String action, JsonNode payload, String correlationId, Duration timeout,
            int queueSize) {
        if (isClosed()) {
            throw new CallFailure(CallFailure.Reason.OFFLINE, "Station " + chargePointId + " is not connected");
        }
        if (inFlight != null && queue.size() >= queueSize) {
            throw new CallFailure(CallFailure.Reason.QUEUE_FULL,
                    "Station " + chargePointId + " has " + queue.size() + " commands waiting");
        }
        PendingCall call = new PendingCall(UUID.randomUUID().toString(), action, payload, correlationId);
        call.timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> expire(call));
        queue.addLast(call);
        sendNext();
        return call;
    }

    private synchronized void expire(PendingCall call) {
        if (call.answer.isDone()) {
            return;
        }
        queue.remove(call);
        call.answer.completeExceptionally(new CallFailure(CallFailure.Reason.TIMEOUT,
                "Station " + chargePointId + " did not answer " + call.action + " in time"));
        if (inFlight == call) {
            inFlight = null;
            sendNext();
        }
    }

    private void sendNext() {
        if (inFlight != null || queue.isEmpty() || isClosed()) {
            return;
        }
        inFlight = queue.pollFirst();
        send(new OcppFrame.Call(inFlight.messageId, inFlight.action, inFlight.payload));
    }

    /** Completes the in-flight CALL answered by {@code frame}; false (and logged) when nothing waits for it. */
    public boolean answer(OcppFrame frame) {
        PendingCall call;
        synchronized (this) {
            if (inFlight == null || !inFlight.messageId.equals(frame.messageId())) {
                Log.infof("Station %s: dropping an answer to unknown message %s", chargePointId, frame.messageId());
                return false;
            }
            call = inFlight;
            inFlight = null;
            vertx.cancelTimer(call.timer);
            sendNext();
        }
        call.answer.complete(frame);
        return true;
    }

    /** Fails every queued and in-flight CALL: the socket is gone. */
    public void closed() {
        closed = true;
        PendingCall[] pending;
        synchronized (this) {
            pending = queue.toArray(PendingCall[]::new);
            queue.clear();
            PendingCall flying = inFlight;
            inFlight = null;
            if (flying != null) {
                pending = java.util.Arrays.copyOf(pending, pending.length + 1);
                pending[pending.length - 1] = flying;
            }
        }
        for (PendingCall call : pending) {
            vertx.cancelTimer(call.timer);
            call.answer.completeExceptionally(new CallFailure(CallFailure.Reason.OFFLINE,
                    "Station " + chargePointId + " disconnected"));
        }
    }

    public void close(int code, String reason) {
        closed = true;
        connection.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, failure -> { });
    }
}
