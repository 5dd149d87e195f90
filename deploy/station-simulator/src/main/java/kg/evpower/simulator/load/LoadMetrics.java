package kg.evpower.simulator.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import kg.evpower.simulator.station.StationMetrics;

/** Counters shared by every station of a load run. Thread-safe and allocation-light on the hot path. */
public final class LoadMetrics implements StationMetrics {
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

    @Override
    public void connectAttempt() {
        connectAttempts.increment();
    }

    @Override
    public void connected() {
        connected.increment();
    }

    @Override
    public void connectFailed(String reason) {
        connectFailed.increment();
        count(failuresByReason, reason);
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
        histogram(action).recordMicros(latencyNanos / 1000);
    }

    @Override
    public void callError(String action, String errorCode, long latencyNanos) {
        callsAnswered.increment();
        histogram(action).recordMicros(latencyNanos / 1000);
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
