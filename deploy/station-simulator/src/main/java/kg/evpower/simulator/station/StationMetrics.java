package kg.evpower.simulator.station;

/** What a station reports while it runs; the load run counts it, the plain simulator ignores it. Thread-safe. */
public interface StationMetrics {
    StationMetrics NONE = new StationMetrics() {
    };

    default void connectAttempt() {
    }

    default void connected() {
    }

    default void connectFailed(String reason) {
    }

    default void disconnected(int code) {
    }

    default void callSent(String action) {
    }

    default void callAnswered(String action, long latencyNanos) {
    }

    default void callError(String action, String errorCode, long latencyNanos) {
    }

    default void callTimedOut(String action) {
    }

    default void protocolViolation(String kind) {
    }

    default void commandReceived(String action) {
    }
}
