package kg.evpower.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.gateway.repository.MonthlyPartitions;
import kg.evpower.gateway.support.Db;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.platform.testing.Reactive;

/** Monthly partitions of meter_value and station_message: created ahead, replica-safe, rows moved out of the default. */
@QuarkusTest
class PartitionMaintenanceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    PartitionMaintenance maintenance;

    @Inject
    Pool pool;

    @Test
    void partitionsExistAfterStartUpForTheCurrentAndTheNextMonths() {
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        for (String table : MonthlyPartitions.TABLES) {
            for (int ahead = 0; ahead <= 2; ahead++) {
                String partition = MonthlyPartitions.partitionName(table, current.plusMonths(ahead));
                Reactive.eventually(partition + " created at start-up", WAIT, () -> exists(partition));
            }
            assertTrue(exists(MonthlyPartitions.defaultName(table)), table + " has a default partition");
        }
        assertEquals(List.of(), maintenance.ensureAhead().await().atMost(WAIT), "nothing left to create");

        // New rows land in the current month's partition.
        String id = TestStation.newId("part-now");
        Db.rows(pool, "INSERT INTO meter_value (station_id, connector_id, sampled_at, samples) VALUES ($1, 1, now(), '[]')",
                id);
        Db.rows(pool, "INSERT INTO station_message (station_id, action, payload) VALUES ($1, 'Authorize', '{}')", id);
        assertEquals(MonthlyPartitions.partitionName("meter_value", current), Db.rows(pool,
                "SELECT tableoid::regclass::text FROM meter_value WHERE station_id = $1", id).iterator().next().getString(0));
        assertEquals(MonthlyPartitions.partitionName("station_message", current), Db.rows(pool,
                "SELECT tableoid::regclass::text FROM station_message WHERE station_id = $1", id).iterator().next()
                .getString(0));
    }

    @Test
    void rowsWaitingInTheDefaultPartitionMoveIntoTheNewMonth() {
        YearMonth month = YearMonth.now(ZoneOffset.UTC).plusMonths(10);
        String partition = MonthlyPartitions.partitionName("meter_value", month);
        String next = MonthlyPartitions.partitionName("meter_value", month.plusMonths(1));
        String id = TestStation.newId("part-default");
        try {
            insertMeterValues(id, MonthlyPartitions.start(month).plusDays(14), 3);
            insertMeterValues(id, MonthlyPartitions.start(month.plusMonths(1)).plusDays(3), 2);
            assertEquals(5, inPartition("meter_value_default", id), "no partition yet: the default one holds them");

            assertTrue(maintenance.ensure("meter_value", month).await().atMost(WAIT));

            assertEquals(3, inPartition(partition, id), "the month's rows moved into its new partition");
            assertEquals(2, inPartition("meter_value_default", id), "the next month's rows stay in the default");
            assertEquals(5, Db.count(pool, "SELECT count(*) FROM meter_value WHERE station_id = $1", id));
            // The default partition is attached again: a row of a month without a partition still lands there.
            insertMeterValues(id, MonthlyPartitions.start(month.plusMonths(2)), 1);
            assertEquals(3, inPartition("meter_value_default", id));
            assertTrue(MonthlyPartitions.list(pool, "meter_value").await().atMost(WAIT).stream()
                    .anyMatch(p -> p.isDefault() && p.name().equals("meter_value_default")));

            assertFalse(maintenance.ensure("meter_value", month).await().atMost(WAIT), "exists: nothing to do");
            assertTrue(maintenance.ensure("meter_value", month.plusMonths(1)).await().atMost(WAIT));
            assertEquals(2, inPartition(next, id));
            assertEquals(1, inPartition("meter_value_default", id));
        } finally {
            Db.rows(pool, "DELETE FROM meter_value WHERE station_id = $1", id);
            Db.rows(pool, "DROP TABLE IF EXISTS " + partition + ", " + next);
        }
    }

    @Test
    void replicasCreatingTheSamePartitionAtOnceCreateItOnce() {
        YearMonth month = YearMonth.now(ZoneOffset.UTC).plusMonths(14);
        String partition = MonthlyPartitions.partitionName("station_message", month);
        try {
            List<Boolean> created = Uni.join().all(maintenance.ensure("station_message", month),
                    maintenance.ensure("station_message", month), maintenance.ensure("station_message", month))
                    .andFailFast().await().atMost(WAIT);

            assertEquals(1, created.stream().filter(Boolean::booleanValue).count(), "created once: " + created);
            assertTrue(exists(partition));
        } finally {
            Db.rows(pool, "DROP TABLE IF EXISTS " + partition);
        }
    }

    @Test
    void partitionNamesAndBoundsAreMonthsInUtc() {
        assertEquals("meter_value_p2026_11", MonthlyPartitions.partitionName("meter_value", YearMonth.of(2026, 11)));
        assertEquals("FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')",
                MonthlyPartitions.bounds(YearMonth.of(2026, 12)));
        assertEquals(OffsetDateTime.parse("2027-02-01T00:00Z"), MonthlyPartitions.start(YearMonth.of(2027, 2)));
        assertThrows(IllegalArgumentException.class, () -> MonthlyPartitions.partitionName("x; DROP TABLE y", YearMonth.of(2026, 1)));
        assertThrows(IllegalArgumentException.class, () -> PartitionedRetention.of("Meter Value", Duration.ofDays(1)));
    }

    private void insertMeterValues(String stationId, OffsetDateTime receivedAt, int count) {
        Db.rows(pool, """
                INSERT INTO meter_value (station_id, connector_id, sampled_at, samples, received_at)
                SELECT $1, 1, $2, '[]', $2 FROM generate_series(1, $3)""", stationId, receivedAt, count);
    }

    private long inPartition(String partition, String stationId) {
        return Db.count(pool, "SELECT count(*) FROM " + partition + " WHERE station_id = $1", stationId);
    }

    private boolean exists(String relation) {
        return MonthlyPartitions.exists(pool, relation).await().atMost(WAIT);
    }
}
