package kg.evpower.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.gateway.repository.MonthlyPartitions;
import kg.evpower.gateway.support.Db;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.platform.retention.RetentionJob;

/**
 * Retention of meter_value (180 days) and station_message (90 days) by dropping monthly partitions and deleting the rest
 * in batches (of 50 in tests), and of station_command (90 days after completion), run by the platform's RetentionJob.
 */
@QuarkusTest
class GatewayRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    RetentionJob job;

    @Inject
    PartitionMaintenance maintenance;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    private OffsetDateTime now;
    private String id;

    @BeforeEach
    void clearLeftovers() {
        // Rows other tests left behind are recent; old ones can only be this class's, from an earlier test.
        job.runAll().await().atMost(WAIT);
        now = OffsetDateTime.now(ZoneOffset.UTC);
        id = TestStation.newId("retention");
    }

    @Test
    void oldMonthsAreDroppedOlderRowsDeletedAndRecentRowsKept() {
        OffsetDateTime sevenMonthsAgo = now.minusMonths(7);
        OffsetDateTime threeYearsAgo = now.minusYears(3); // no partition: these land in the default partition
        OffsetDateTime meterCutoff = now.minusDays(180);
        OffsetDateTime messageCutoff = now.minusDays(90);

        insert("meter_value", sevenMonthsAgo, 40);
        insert("meter_value", meterCutoff.minusHours(1), 120);
        insert("meter_value", meterCutoff.plusHours(1), 30);
        insert("meter_value", now.minusDays(3), 10);
        insert("meter_value", threeYearsAgo, 7);
        insert("station_message", sevenMonthsAgo, 25);
        insert("station_message", messageCutoff.minusHours(1), 60);
        insert("station_message", messageCutoff.plusHours(1), 11);
        insert("station_message", now.minusDays(3), 9);
        insert("station_message", threeYearsAgo, 4);
        insertCommands(now.minusDays(91), 12);
        insertCommands(now.minusDays(89), 5);
        insertCommands(now, 3);
        assertEquals(7, count("meter_value_default", "received_at < $2", threeYearsAgo.plusSeconds(1)));
        String oldMeterMonth = MonthlyPartitions.partitionName("meter_value", YearMonth.from(sevenMonthsAgo));
        String oldMessageMonth = MonthlyPartitions.partitionName("station_message", YearMonth.from(sevenMonthsAgo));
        String meterBoundary = MonthlyPartitions.partitionName("meter_value", YearMonth.from(meterCutoff.plusHours(1)));
        assertEquals(40, count(oldMeterMonth, "true", now));
        double meterCounterBefore = removedCounter("meter_value");

        Map<String, Long> removed = job.runAll().await().atMost(WAIT);

        assertEquals(Map.of("meter_value", 167L, "station_message", 89L, "station_command", 12L), removed);
        assertFalse(exists(oldMeterMonth), "the old month's partition is dropped");
        assertFalse(exists(oldMessageMonth), "the old month's partition is dropped");
        assertTrue(exists(meterBoundary), "the boundary partition stays");
        assertEquals(30 + 10, count("meter_value", "true", now));
        assertEquals(30, count("meter_value", "received_at < $2", meterCutoff.plusHours(2)));
        assertEquals(0, count("meter_value", "received_at < $2", meterCutoff));
        assertEquals(11 + 9, count("station_message", "true", now));
        assertEquals(0, count("station_message", "received_at < $2", messageCutoff));
        assertEquals(0, count("meter_value_default", "received_at < $2", now));
        assertEquals(5 + 3, count("station_command", "true", now));
        assertEquals(0, count("station_command", "completed_at < $2", now.minusDays(90)));
        assertEquals(167.0, removedCounter("meter_value") - meterCounterBefore);

        // Nothing older is left: a second run removes nothing.
        assertEquals(Map.of("meter_value", 0L, "station_message", 0L, "station_command", 0L),
                job.runAll().await().atMost(WAIT));
    }

    @Test
    void replicasRunningAtOnceRemoveEachRowOnce() {
        insert("meter_value", now.minusMonths(7), 60);
        insert("meter_value", now.minusMonths(8), 15);
        insert("meter_value", now.minusDays(180).minusHours(2), 130);
        insert("meter_value", now.minusDays(2), 20);
        insert("station_message", now.minusMonths(7), 50);
        insert("station_message", now.minusDays(90).minusHours(2), 140);
        insert("station_message", now.minusDays(2), 6);
        insertCommands(now.minusDays(100), 90);
        insertCommands(now.minusDays(1), 4);

        List<Map<String, Long>> runs = Uni.join().all(job.runAll(), job.runAll(), job.runAll()).andFailFast()
                .await().atMost(WAIT);

        assertEquals(205L, runs.stream().mapToLong(run -> run.get("meter_value")).sum(), "runs: " + runs);
        assertEquals(190L, runs.stream().mapToLong(run -> run.get("station_message")).sum(), "runs: " + runs);
        assertEquals(90L, runs.stream().mapToLong(run -> run.get("station_command")).sum(), "runs: " + runs);
        assertEquals(20, count("meter_value", "true", now));
        assertEquals(6, count("station_message", "true", now));
        assertEquals(4, count("station_command", "true", now));
    }

    /** Rows of this test's station received at {@code at}, in the month's partition (created when missing). */
    private void insert(String table, OffsetDateTime at, int rows) {
        if (at.isAfter(now.minusYears(2))) {
            maintenance.ensure(table, YearMonth.from(at)).await().atMost(WAIT);
        }
        if (table.equals("meter_value")) {
            Db.rows(pool, """
                    INSERT INTO meter_value (station_id, connector_id, sampled_at, samples, received_at)
                    SELECT $1, 1, $2, '[]', $2 FROM generate_series(1, $3)""", id, at, rows);
        } else {
            Db.rows(pool, """
                    INSERT INTO station_message (station_id, action, payload, received_at)
                    SELECT $1, 'DataTransfer', '{}', $2 FROM generate_series(1, $3)""", id, at, rows);
        }
    }

    private void insertCommands(OffsetDateTime completedAt, int rows) {
        Db.rows(pool, """
                INSERT INTO station_command (station_id, message_id, action, request, outcome, requested_at, completed_at)
                SELECT $1, 'retention-' || g, 'Reset', '{}', 'ANSWERED', $2, $2 FROM generate_series(1, $3) g""",
                id, completedAt, rows);
    }

    /** Rows of this test's station in {@code table} meeting {@code condition} ($2 is {@code at}). */
    private long count(String table, String condition, OffsetDateTime at) {
        return Db.count(pool, "SELECT count(*) FROM " + table + " WHERE station_id = $1 AND " + condition
                + " AND $2::timestamptz IS NOT NULL", id, at);
    }

    private boolean exists(String relation) {
        return MonthlyPartitions.exists(pool, relation).await().atMost(WAIT);
    }

    private double removedCounter(String rule) {
        return registry.get("evpower.retention.removed.rows").tag("rule", rule).counter().count();
    }
}
