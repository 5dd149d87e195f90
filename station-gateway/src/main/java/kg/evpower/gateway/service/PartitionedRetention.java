package kg.evpower.gateway.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.gateway.repository.MonthlyPartitions;
import kg.evpower.gateway.repository.MonthlyPartitions.Partition;
import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.retention.TableRetention;

/**
 * Retention of a table partitioned by month ({@link MonthlyPartitions}): every partition whose upper bound is at or
 * before the cutoff is dropped whole (its rows counted first, for the report), then the rows older than the cutoff left
 * in the boundary partition (the one the cutoff falls into) and in the default partition are deleted in batches
 * ({@link TableRetention}, {@code SKIP LOCKED}).
 * <p>
 * Replica-safe: a partition is counted and dropped under the table's advisory lock after checking it still exists, so
 * of two replicas one drops it and reports its rows and the other reports nothing; the batched deletes share rows.
 *
 * @param name        the rule's name (logs, metrics, {@code evpower.retention.<name>.keep})
 * @param table       the partitioned table
 * @param defaultKeep how long rows are kept unless configured
 * @param minimumKeep the shortest keep the configuration may ask for
 */
public record PartitionedRetention(String name, String table, Duration defaultKeep, Duration minimumKeep)
        implements RetentionRule {

    /** SQLSTATE of a missing table (dropped by another replica) and of a lock not obtained within lock_timeout. */
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    public PartitionedRetention {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultKeep, "defaultKeep");
        MonthlyPartitions.identifier(table);
        minimumKeep = minimumKeep == null ? Duration.ZERO : minimumKeep;
    }

    public static PartitionedRetention of(String table, Duration defaultKeep) {
        return new PartitionedRetention(table, table, defaultKeep, Duration.ZERO);
    }

    @Override
    public Uni<Long> purge(Pool pool, OffsetDateTime cutoff, int batchSize) {
        return MonthlyPartitions.list(pool, table)
                .chain(partitions -> sum(partitions.stream().filter(p -> wholeBefore(p, cutoff)).toList(),
                        p -> drop(pool, p)))
                // Listed again: another replica may have dropped what this one saw.
                .chain(dropped -> MonthlyPartitions.list(pool, table)
                        .chain(partitions -> sum(partitions.stream().filter(p -> straddles(p, cutoff)).toList(),
                                p -> deleteOlder(pool, p, cutoff, batchSize)))
                        .map(deleted -> dropped + deleted));
    }

    /** Every row of the partition is older than the cutoff. */
    static boolean wholeBefore(Partition partition, OffsetDateTime cutoff) {
        return !partition.isDefault() && partition.to() != null && !partition.to().isAfter(cutoff);
    }

    /** The partition may hold rows on both sides of the cutoff: the boundary partition and the default one. */
    static boolean straddles(Partition partition, OffsetDateTime cutoff) {
        return partition.isDefault() || partition.from() != null && partition.from().isBefore(cutoff)
                && partition.to() != null && partition.to().isAfter(cutoff);
    }

    private Uni<Long> drop(Pool pool, Partition partition) {
        return pool.withTransaction(connection -> MonthlyPartitions.lock(connection, table)
                .chain(() -> MonthlyPartitions.exists(connection, partition.name()))
                .chain(exists -> !exists ? Uni.createFrom().item(0L)
                        : connection.query("SELECT count(*) FROM " + partition.name()).execute()
                                .map(rows -> rows.iterator().next().getLong(0))
                                .call(() -> connection.query("SET LOCAL lock_timeout = '"
                                        + PartitionMaintenance.LOCK_TIMEOUT + "'").execute())
                                .call(() -> connection.query("DROP TABLE " + partition.name()).execute())
                                .invoke(count -> Log.infof(
                                        "Retention %s: dropped partition %s with %d rows (received before %s)", name,
                                        partition.name(), count, partition.to()))))
                // Dropped by another replica after this one listed it.
                .onFailure(f -> MonthlyPartitions.isSqlState(f, UNDEFINED_TABLE)).recoverWithItem(0L)
                .onFailure(f -> MonthlyPartitions.isSqlState(f, LOCK_NOT_AVAILABLE)).recoverWithItem(() -> {
                    Log.warnf("Retention %s: partition %s is busy; it is dropped at a later run", name,
                            partition.name());
                    return 0L;
                });
    }

    private Uni<Long> deleteOlder(Pool pool, Partition partition, OffsetDateTime cutoff, int batchSize) {
        return TableRetention.of(partition.name(), MonthlyPartitions.KEY_COLUMN, defaultKeep)
                .purge(pool, cutoff, batchSize)
                .onFailure(f -> MonthlyPartitions.isSqlState(f, UNDEFINED_TABLE)).recoverWithItem(0L)
                .invoke(count -> {
                    if (count > 0) {
                        Log.infof("Retention %s: deleted %d rows received before %s from %s", name, count, cutoff,
                                partition.name());
                    }
                });
    }

    private static Uni<Long> sum(List<Partition> partitions, Function<Partition, Uni<Long>> each) {
        return Multi.createFrom().iterable(partitions).onItem().transformToUniAndConcatenate(p -> each.apply(p))
                .collect().with(Collectors.summingLong(Long::longValue));
    }
}
