package kg.evpower.benchmarks.fullflow;

/**
 * When the starts are due: start {@code i} at {@code i / rate} seconds after the beginning, whatever happened to the
 * earlier ones (open loop: a slow answer never lowers the offered rate). The latency of a start is measured from its
 * due time, so a late scheduler shows up in the figures instead of hiding (no coordinated omission).
 */
record OpenLoopSchedule(double ratePerSecond, long durationNanos) {

    OpenLoopSchedule {
        if (!(ratePerSecond > 0) || ratePerSecond > 10_000) {
            throw new IllegalArgumentException("rate must be in (0, 10000] starts/s: " + ratePerSecond);
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    /** Nanoseconds after the beginning at which start {@code index} (from 0) is due. */
    long dueNanos(long index) {
        return (long) Math.floor(index * 1e9 / ratePerSecond);
    }

    /** How many starts fall inside the duration: those due strictly before its end. */
    long totalStarts() {
        return (long) Math.ceil(durationNanos * ratePerSecond / 1e9 - 1e-9);
    }
}
