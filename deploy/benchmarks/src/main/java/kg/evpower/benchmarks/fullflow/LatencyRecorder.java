package kg.evpower.benchmarks.fullflow;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies of one kind of call, in nanoseconds, kept whole (a run of 600 s at 50 starts/s is 30 000 values) and
 * sorted once for the summary. Percentiles use the nearest-rank method: p99 of 100 values is the 99th smallest.
 */
final class LatencyRecorder {

    private long[] values = new long[1024];
    private int size;

    synchronized void record(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized long[] sortedSnapshot() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    /** The nearest-rank percentile ({@code 0 < p <= 100}) of sorted values; 0 when there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** count, p50, p95, p99, max and mean in milliseconds (3 decimals). */
    Map<String, Object> summary() {
        long[] sorted = sortedSnapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", sorted.length);
        m.put("p50Ms", millis(percentile(sorted, 50)));
        m.put("p95Ms", millis(percentile(sorted, 95)));
        m.put("p99Ms", millis(percentile(sorted, 99)));
        m.put("maxMs", millis(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
        m.put("meanMs", millis(sorted.length == 0 ? 0 : (long) Arrays.stream(sorted).average().orElse(0)));
        return m;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
