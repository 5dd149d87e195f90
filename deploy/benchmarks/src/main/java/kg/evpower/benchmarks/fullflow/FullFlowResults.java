package kg.evpower.benchmarks.fullflow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What a full-flow run counted, and its JSON summary. Thread-safe: answers arrive on the HTTP client's threads. */
final class FullFlowResults {

    final LongAdder offered = new LongAdder();          // starts that fell due
    final LongAdder noCapacity = new LongAdder();       // due, but no free client or connector: not sent
    final LongAdder startsSent = new LongAdder();
    final LongAdder startsOk = new LongAdder();
    final LongAdder stopsSent = new LongAdder();
    final LongAdder stopsOk = new LongAdder();
    final LongAdder reachedCharging = new LongAdder();  // the station had started the transaction before the stop
    final LongAdder cancelledBeforeCharging = new LongAdder();
    final Map<String, LongAdder> startFailures = new ConcurrentHashMap<>();
    final Map<String, LongAdder> stopFailures = new ConcurrentHashMap<>();
    final LatencyRecorder startLatency = new LatencyRecorder();
    final LatencyRecorder stopLatency = new LatencyRecorder();
    final AtomicLong maxSchedulerLagNanos = new AtomicLong();

    /** A failure key: {@code <HTTP status>:<app error code>}, or {@code timeout} / {@code io:<exception>}. */
    static String failureKey(int status, String error) {
        return status + ":" + (error == null || error.isBlank() ? "-" : error);
    }

    void startFailed(String key) {
        startFailures.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void stopFailed(String key) {
        stopFailures.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void schedulerLag(long nanos) {
        maxSchedulerLagNanos.accumulateAndGet(nanos, Math::max);
    }

    /** Starts per second over the scheduling window (offered, sent, and answered with success). */
    static double perSecond(long count, long windowNanos) {
        return windowNanos <= 0 ? 0 : Math.round(count * 1e12 / windowNanos) / 1000.0;
    }

    Map<String, Object> summary(Map<String, Object> settings, long windowNanos, long elapsedNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", settings);
        m.put("windowSeconds", Math.round(windowNanos / 1e6) / 1000.0);
        m.put("elapsedSeconds", Math.round(elapsedNanos / 1e6) / 1000.0);
        Map<String, Object> starts = new LinkedHashMap<>();
        starts.put("offered", offered.sum());
        starts.put("notSentNoFreeClientOrConnector", noCapacity.sum());
        starts.put("attempted", startsSent.sum());
        starts.put("ok", startsOk.sum());
        starts.put("failed", startsSent.sum() - startsOk.sum());
        starts.put("failedBy", counts(startFailures));
        starts.put("offeredPerSecond", perSecond(offered.sum(), windowNanos));
        starts.put("attemptedPerSecond", perSecond(startsSent.sum(), windowNanos));
        starts.put("okPerSecond", perSecond(startsOk.sum(), windowNanos));
        starts.put("latency", startLatency.summary());
        m.put("starts", starts);
        Map<String, Object> stops = new LinkedHashMap<>();
        stops.put("attempted", stopsSent.sum());
        stops.put("ok", stopsOk.sum());
        stops.put("failed", stopsSent.sum() - stopsOk.sum());
        stops.put("failedBy", counts(stopFailures));
        stops.put("latency", stopLatency.summary());
        m.put("stops", stops);
        Map<String, Object> sessions = new LinkedHashMap<>();
        sessions.put("reachedCharging", reachedCharging.sum());
        sessions.put("cancelledBeforeCharging", cancelledBeforeCharging.sum());
        m.put("sessions", sessions);
        m.put("maxSchedulerLagMs", LatencyRecorder.millis(maxSchedulerLagNanos.get()));
        return m;
    }

    private static Map<String, Long> counts(Map<String, LongAdder> adders) {
        Map<String, Long> sorted = new TreeMap<>();
        adders.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }
}
