package kg.evpower.platform.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * The rate limits count per calendar minute (platform {@code MinuteWindow}). A test that makes N calls and expects call
 * N + 1 to be refused must make them all inside one minute, or the count starts again at the minute's turn and the last
 * call is let through (seen in CI).
 */
public final class CalendarMinute {

    private CalendarMinute() {
    }

    /** Returns once at least {@code needed} is left of the current minute, waiting for the next one if it must. */
    public static void awaitRoom(Duration needed) {
        long second = Instant.now().getEpochSecond() % 60;
        if (60 - second < needed.toSeconds()) {
            try {
                Thread.sleep((60 - second) * 1000 + 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
