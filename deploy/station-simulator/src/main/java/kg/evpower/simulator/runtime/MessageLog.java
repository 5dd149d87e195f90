package kg.evpower.simulator.runtime;

import java.io.PrintStream;
import java.time.Instant;

/** Log lines on stderr (stdout is kept for the load summary). One line per OCPP frame when verbose. */
public final class MessageLog {
    private final PrintStream out;
    private final boolean verbose;
    private final boolean quiet;

    public MessageLog(PrintStream out, boolean verbose, boolean quiet) {
        this.out = out;
        this.verbose = verbose;
        this.quiet = quiet;
    }

    public boolean verbose() {
        return verbose;
    }

    public void frameIn(String stationId, String text) {
        if (verbose) {
            line(stationId, "<< " + text);
        }
    }

    public void frameOut(String stationId, String text) {
        if (verbose) {
            line(stationId, ">> " + text);
        }
    }

    public void info(String stationId, String message) {
        if (!quiet || verbose) {
            line(stationId, message);
        }
    }

    /** Warnings too are muted in quiet (load) mode unless verbose: there they are counted in the summary. */
    public void warn(String stationId, String message) {
        if (!quiet || verbose) {
            line(stationId, "WARN " + message);
        }
    }

    private void line(String stationId, String message) {
        out.println(Instant.now() + " " + stationId + " " + message);
    }
}
