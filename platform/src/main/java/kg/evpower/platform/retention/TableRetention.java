package kg.evpower.platform.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes the rows of one table whose time column is older than the cutoff, in batches so that no statement holds many
 * locks or runs long. Batches claim their rows with {@code FOR UPDATE SKIP LOCKED}: replicas running the same rule at
 * the same time share the work instead of waiting for each other. Not for partitioned tables (refused: ctid is unique
 * per partition only).
 *
 * @param name        the rule's name (logs, metrics, {@code evpower.retention.<name>.keep})
 * @param table       table name
 * @param timeColumn  a {@code timestamptz} column; rows older than the cutoff go
 * @param condition   extra SQL condition rows must also meet to go (e.g. {@code resolved_at IS NOT NULL}), or null
 * @param defaultKeep how long rows are kept unless configured
 * @param minimumKeep the shortest keep the configuration may ask for
 */
public record TableRetention(String name, String table, String timeColumn, String condition, Duration defaultKeep,
        Duration minimumKeep) implements RetentionRule {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public TableRetention {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultKeep, "defaultKeep");
        minimumKeep = minimumKeep == null ? Duration.ZERO : minimumKeep;
        if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(timeColumn).matches()) {
            throw new IllegalArgumentException("Not a plain identifier: " + table + "." + timeColumn);
        }
    }

    public static TableRetention of(String table, String timeColumn, Duration defaultKeep) {
        return new TableRetention(table, table, timeColumn, null, defaultKeep, Duration.ZERO);
    }

    public TableRetention where(String extraCondition) {
        return new TableRetention(name, table, timeColumn, extraCondition, defaultKeep, minimumKeep);
    }

    public TableRetention atLeast(Duration minimum) {
        return new TableRetention(name, table, timeColumn, condition, defaultKeep, minimum);
    }

    public TableRetention named(String ruleName) {
        return new TableRetention(ruleName, table, timeColumn, condition, defaultKeep, minimumKeep);
    }

    /** The batched DELETE: {@code $1} the cutoff, {@code $2} the batch size. */
    String deleteSql() {
        return "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table + " WHERE " + timeColumn
                + " < $1" + (condition == null ? "" : " AND (" + condition + ")")
                + " LIMIT $2 FOR UPDATE SKIP LOCKED))";
    }

    @Override
    public Uni<Long> purge(Pool pool, OffsetDateTime cutoff, int batchSize) {
        // ctid is unique within one table only: on a partitioned parent the batched delete could hit rows of other
        // partitions with the same ctid. Such tables need a partition-aware rule (drop old partitions).
        return pool.preparedQuery("SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass($1)")
                .execute(Tuple.of(table)).chain(rows -> {
                    if (rows.size() == 1 && Boolean.TRUE.equals(rows.iterator().next().getBoolean(0))) {
                        return Uni.createFrom().failure(new IllegalStateException(table
                                + " is partitioned: TableRetention deletes by ctid, which is unique per partition only;"
                                + " use a partition-aware rule"));
                    }
                    return deleteBatches(pool, cutoff, batchSize);
                });
    }

    private Uni<Long> deleteBatches(Pool pool, OffsetDateTime cutoff, int batchSize) {
        return pool.preparedQuery(deleteSql()).execute(Tuple.of(cutoff, batchSize))
                .map(rows -> (long) rows.rowCount())
                .chain(removed -> removed < batchSize ? Uni.createFrom().item(removed)
                        : deleteBatches(pool, cutoff, batchSize).map(more -> removed + more));
    }
}
