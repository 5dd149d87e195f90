package kg.evpower.simulator.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import kg.evpower.simulator.station.StationMetrics;

/**
 * Counters shared by every station of a load run. Thread-safe and allocation-light on the hot path.
 *
 * <p>Besides the whole run's latencies, it keeps the <em>steady state's</em>: those of the calls sent from
 * {@code settle} after the last expected station's connection attempt ended (connected or failed), so that the
 * connection ramp and the backlog it leaves do not hide what the target does once every station is running.
 */
public final class LoadMetrics implements StationMetrics {
    private final long createdNanos = System.nanoTime();
    private final int expectedStations;
    private final long settleNanos;
    private final LongAdder connectionsEnded = new LongAdder();
    private volatile long steadyFromNanos = Long.MAX_VALUE;
    final LongAdder connectAttempts = new LongAdder();
    final LongAdder connected = new LongAdder();
    final LongAdder connectFailed = new LongAdder();
    final LongAdder disconnected = new LongAdder();
    final LongAdder callsSent = new LongAdder();
    final LongAdder callsAnswered = new LongAdder();
    final LongAdder callsTimedOut = new LongAdder();
    final LongAdder commandsReceived = new LongAdder();
    final Map<String, LongAdder> failuresByReason = new ConcurrentHashMap<>();
    final Map<String, LongAdder> callErrorsByCode = new ConcurrentHashMap<>();
    final Map<String, LongAdder> violationsByKind = new ConcurrentHashMap<>();
    final Map<String, LongAdder> timeoutsByAction = new ConcurrentHashMap<>();
    final Map<String, LatencyHistogram> latencyByAction = new ConcurrentHashMap<>();
    final Map<String, LatencyHistogram> steadyLatencyByAction = new ConcurrentHashMap<>();

    /** Metrics without a steady state (every latency counts only in the whole run's figures). */
    public LoadMetrics() {
        this(Integer.MAX_VALUE, Duration.ZERO);
    }

    /**
     * @param expectedStations stations whose connection attempts end the ramp
     * @param settle           time after the ramp before calls count in the steady state
     */
    public LoadMetrics(int expectedStations, Duration settle) {
        if (expectedStations < 1 || settle.isNegative()) {
            throw new IllegalArgumentException("expected stations must be positive and the settle time not negative");
        }
        this.expectedStations = expectedStations;
        this.settleNanos = settle.toNanos();
    }

    @Override
    public void connectAttempt() {
        connectAttempts.increment();
    }

    @Override
    public void connected() {
        connected.increment();
        connectionEnded();
    }

    @Override
    public void connectFailed(String reason) {
        connectFailed.increment();
        count(failuresByReason, reason);
        connectionEnded();
    }

    private void connectionEnded() {
        connectionsEnded.increment();
        if (steadyFromNanos == Long.MAX_VALUE && connectionsEnded.sum() >= expectedStations) {
            steadyFromNanos = System.nanoTime() + settleNanos;
        }
    }

    /** Seconds from the start of these metrics to the start of the steady state, or null if it has not begun. */
    Double steadyFromSeconds() {
        long from = steadyFromNanos;
        return from == Long.MAX_VALUE ? null : Math.round((from - createdNanos) / 1e6) / 1000.0;
    }

    @Override
    public void disconnected(int code) {
        disconnected.increment();
    }

    @Override
    public void callSent(String action) {
        callsSent.increment();
    }

    @Override
    public void callAnswered(String action, long latencyNanos) {
        callsAnswered.increment();
        record(action, latencyNanos);
    }

    @Override
    public void callError(String action, String errorCode, long latencyNanos) {
        callsAnswered.increment();
        record(action, latencyNanos);
        count(callErrorsByCode, errorCode);
    }

    @Override
    public void callTimedOut(String action) {
        callsTimedOut.increment();
        count(timeoutsByAction, action);
    }

    @Override
    public void protocolViolation(String kind) {
        count(violationsByKind, kind);
    }

    @Override
    public void commandReceived(String action) {
        commandsReceived.increment();
    }

    private void record(String action, long latencyNanos) {
        long micros = latencyNanos / 1000;
        histogram(action).recordMicros(micros);
        if (System.nanoTime() - latencyNanos >= steadyFromNanos) { // sent in the steady state
            steadyLatencyByAction.computeIfAbsent(action, a -> new LatencyHistogram()).recordMicros(micros);
        }
    }

    public LatencyHistogram histogram(String action) {
        return latencyByAction.computeIfAbsent(action, a -> new LatencyHistogram());
    }

    private static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    static Map<String, Long> snapshot(Map<String, LongAdder> map) {
        Map<String, Long> copy = new TreeMap<>();
        map.forEach((key, value) -> copy.put(key, value.sum()));
        return copy;
    }
}
