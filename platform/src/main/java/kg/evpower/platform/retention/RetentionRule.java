package kg.evpower.platform.retention;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One kind of row a service forgets after a while. A service declares its rules as CDI beans (usually
 * {@link TableRetention} records from a producer method); {@link RetentionJob} runs them all on a schedule.
 * <p>
 * How long rows are kept is {@link #defaultKeep()} unless {@code evpower.retention.<name>.keep} says otherwise; a value
 * below {@link #minimumKeep()} stops the service at start-up (audit rows, for one, are kept at least 90 days).
 */
public interface RetentionRule {

    /** Short name in logs, metrics and configuration keys, e.g. {@code meter_value}. */
    String name();

    Duration defaultKeep();

    /** The shortest keep the configuration may ask for. */
    default Duration minimumKeep() {
        return Duration.ZERO;
    }

    /**
     * Removes what is older than {@code cutoff}, at most {@code batchSize} rows per statement, and returns how many rows
     * went. Must be safe to run on several replicas at once.
     */
    Uni<Long> purge(Pool pool, OffsetDateTime cutoff, int batchSize);
}
