package kg.evpower.simulator;

import java.util.Locale;

/** What a station does on its own once booted. */
public enum Scenario {
    /** Nothing but boot, status and heartbeats; transactions only when the central system starts them. */
    NONE,
    /** Load mode: the same as NONE (idle stations that heartbeat). */
    IDLE,
    /** Authorize, StartTransaction, MeterValues, StopTransaction, think, repeat. */
    AUTO,
    /** Load mode: AUTO plus a Heartbeat after each StopTransaction. */
    CHARGING;

    public boolean charges() {
        return this == AUTO || this == CHARGING;
    }

    static Scenario parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scenario must be none, auto, idle or charging, not " + text);
        }
    }
}
