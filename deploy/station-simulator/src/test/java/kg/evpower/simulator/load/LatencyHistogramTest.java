package kg.evpower.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void nearestRankPercentilesAreExactBelowOneMillisecond() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1000; v >= 1; v--) {
            h.recordMicros(v);
        }
        assertEquals(1000, h.count());
        assertEquals(500, h.percentileMicros(50));
        assertEquals(950, h.percentileMicros(95));
        assertEquals(990, h.percentileMicros(99));
        assertEquals(1000, h.percentileMicros(100));
        assertEquals(1000, h.maxMicros());
        assertEquals(500.5, h.meanMicros(), 1e-9);
    }

    @Test
    void largerValuesStayWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            h.recordMicros(ms * 1000L);
        }
        assertWithin(50_000, h.percentileMicros(50));
        assertWithin(95_000, h.percentileMicros(95));
        assertWithin(99_000, h.percentileMicros(99));
        assertEquals(100_000, h.maxMicros());
    }

    @Test
    void aSingleSlowCallIsTheMaxButNotTheP99OfAThousand() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 999; i++) {
            h.recordMicros(2_000);
        }
        h.recordMicros(3_000_000);
        assertWithin(2_000, h.percentileMicros(99));
        assertWithin(3_000_000, h.percentileMicros(100));
        assertEquals(3_000_000, h.maxMicros());
    }

    @Test
    void emptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentileMicros(99));
        assertEquals(0, h.maxMicros());
    }

    @Test
    void bucketEdgesRoundTrip() {
        for (long v : new long[] {0, 1, 1023, 1024, 1025, 4097, 123_456, 9_999_999, 1L << 35}) {
            long edge = LatencyHistogram.lowerEdge(LatencyHistogram.index(v));
            assertTrue(edge <= v && v - edge <= Math.max(0, v / 512), v + " -> " + edge);
        }
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(Math.abs(expected - actual) <= expected * 0.002, "expected about " + expected + " but was " + actual);
    }
}
