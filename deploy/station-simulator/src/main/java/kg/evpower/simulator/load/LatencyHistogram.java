package kg.evpower.simulator.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free latency histogram in microseconds with bounded memory: exact below 1,024 µs, then 512 sub-buckets per
 * power of two (relative error under 0.2 %). Percentiles use the nearest-rank definition: the smallest recorded value
 * such that at least p % of the values are at or below it (reported as the lower edge of its bucket).
 */
public final class LatencyHistogram {
    private static final int EXACT = 1024;
    private static final int SUB_BITS = 9;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40; // about 12 days in microseconds
    private static final int BUCKETS = EXACT + (MAX_EXPONENT - 10 + 1) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong sum = new AtomicLong();

    public void recordMicros(long micros) {
        long value = Math.max(0, micros);
        counts.incrementAndGet(index(value));
        total.incrementAndGet();
        sum.addAndGet(value);
        max.accumulateAndGet(value, Math::max);
    }

    public long count() {
        return total.get();
    }

    public long maxMicros() {
        return max.get();
    }

    public double meanMicros() {
        long n = total.get();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /** Nearest-rank percentile in microseconds (0 when empty). */
    public long percentileMicros(double percent) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(lowerEdge(i), max.get());
            }
        }
        return max.get();
    }

    static int index(long value) {
        if (value < EXACT) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) ((value >>> (exponent - SUB_BITS)) & (SUB - 1));
        return EXACT + (exponent - 10) * SUB + sub;
    }

    static long lowerEdge(int index) {
        if (index < EXACT) {
            return index;
        }
        int exponent = (index - EXACT) / SUB + 10;
        int sub = (index - EXACT) % SUB;
        return (1L << exponent) + ((long) sub << (exponent - SUB_BITS));
    }
}
