package kg.evpower.gateway.service;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.gateway.repository.MonthlyPartitions;

/**
 * Keeps the monthly partitions of meter_value and station_message ready: at start-up and then every
 * {@code evpower.gateway.partitions.every} (24 h), partitions exist for the current month and the next
 * {@code evpower.gateway.partitions.months-ahead} (2) months.
 * <p>
 * Replica-safe: replicas creating the same table's partitions wait for each other on an advisory lock and re-check
 * under it. Rows of a month already in the default partition (the service ran with no partition for that month) are
 * moved into the new partition: the default partition is detached, the partition created, the rows moved and the
 * default re-attached, all in one transaction holding the table's lock, so no insert lands in between.
 */
@ApplicationScoped
public class PartitionMaintenance {

    /** How long partition DDL waits for the table's lock before giving up until the next run. */
    static final String LOCK_TIMEOUT = "5s";

    private final Pool pool;
    private final int monthsAhead;

    PartitionMaintenance(Pool pool, GatewayConfig config) {
        this.pool = pool;
        this.monthsAhead = config.partitions().monthsAhead();
        if (monthsAhead < 0) {
            throw new IllegalStateException("evpower.gateway.partitions.months-ahead must not be negative: " + monthsAhead);
        }
    }

    @Scheduled(every = "${evpower.gateway.partitions.every:24h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return ensureAhead()
                .onFailure().invoke(f -> Log.errorf("Partition maintenance failed (retried at the next run): %s",
                        f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Creates the partitions missing for the current month and the months ahead; returns the names created. */
    public Uni<List<String>> ensureAhead() {
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        List<TableMonth> wanted = new ArrayList<>();
        for (String table : MonthlyPartitions.TABLES) {
            for (int ahead = 0; ahead <= monthsAhead; ahead++) {
                wanted.add(new TableMonth(table, current.plusMonths(ahead)));
            }
        }
        return Multi.createFrom().iterable(wanted)
                .onItem().transformToUniAndConcatenate(want -> ensure(want.table(), want.month())
                        .map(created -> created ? MonthlyPartitions.partitionName(want.table(), want.month()) : ""))
                .filter(name -> !name.isEmpty())
                .collect().asList();
    }

    private record TableMonth(String table, YearMonth month) {
    }

    /** Makes sure {@code table} has the partition of {@code month}; true when this call created it. */
    public Uni<Boolean> ensure(String table, YearMonth month) {
        String partition = MonthlyPartitions.partitionName(table, month);
        return MonthlyPartitions.exists(pool, partition).chain(exists -> exists ? Uni.createFrom().item(false)
                : pool.withTransaction(connection -> MonthlyPartitions.lock(connection, table)
                        .chain(() -> MonthlyPartitions.exists(connection, partition))
                        .chain(madeMeanwhile -> madeMeanwhile ? Uni.createFrom().item(false)
                                : create(connection, table, month).replaceWith(true))));
    }

    private Uni<Void> create(SqlConnection connection, String table, YearMonth month) {
        String partition = MonthlyPartitions.partitionName(table, month);
        String defaultPartition = MonthlyPartitions.defaultName(table);
        return connection.query("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'").execute()
                // Inserts wait from here to the commit: the default partition cannot gain rows of the month meanwhile.
                .chain(() -> connection.query("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE").execute())
                .chain(() -> MonthlyPartitions.exists(connection, defaultPartition))
                .chain(hasDefault -> hasDefault ? countInDefault(connection, table, month) : Uni.createFrom().item(0L))
                .chain(stranded -> stranded == 0
                        ? connection.query("CREATE TABLE IF NOT EXISTS " + partition + " PARTITION OF " + table + " "
                                + MonthlyPartitions.bounds(month)).execute()
                                .invoke(() -> Log.infof("Created partition %s", partition)).replaceWithVoid()
                        : moveFromDefault(connection, table, month, stranded));
    }

    private static Uni<Long> countInDefault(SqlConnection connection, String table, YearMonth month) {
        return connection.preparedQuery("SELECT count(*) FROM " + MonthlyPartitions.defaultName(table) + " WHERE "
                + MonthlyPartitions.KEY_COLUMN + " >= $1 AND " + MonthlyPartitions.KEY_COLUMN + " < $2")
                .execute(Tuple.of(MonthlyPartitions.start(month), MonthlyPartitions.start(month.plusMonths(1))))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static Uni<Void> moveFromDefault(SqlConnection connection, String table, YearMonth month, long stranded) {
        String partition = MonthlyPartitions.partitionName(table, month);
        String defaultPartition = MonthlyPartitions.defaultName(table);
        Log.warnf("Default partition %s holds %d rows of %s: moving them into the new partition %s", defaultPartition,
                stranded, month, partition);
        return connection.query("ALTER TABLE " + table + " DETACH PARTITION " + defaultPartition).execute()
                .chain(() -> connection.query("CREATE TABLE " + partition + " PARTITION OF " + table + " "
                        + MonthlyPartitions.bounds(month)).execute())
                // Both were created as partitions of the table, so their columns are in the same order.
                .chain(() -> connection.preparedQuery("WITH moved AS (DELETE FROM " + defaultPartition + " WHERE "
                        + MonthlyPartitions.KEY_COLUMN + " >= $1 AND " + MonthlyPartitions.KEY_COLUMN
                        + " < $2 RETURNING *) INSERT INTO " + partition + " SELECT * FROM moved")
                        .execute(Tuple.of(MonthlyPartitions.start(month), MonthlyPartitions.start(month.plusMonths(1)))))
                .chain(moved -> connection.query("ALTER TABLE " + table + " ATTACH PARTITION " + defaultPartition
                        + " DEFAULT").execute()
                        .invoke(() -> Log.infof("Created partition %s with %d rows moved from %s", partition,
                                moved.rowCount(), defaultPartition)))
                .replaceWithVoid();
    }
}
