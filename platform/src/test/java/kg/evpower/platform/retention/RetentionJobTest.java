package kg.evpower.platform.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

@QuarkusTest
class RetentionJobTest {

    @Inject
    RetentionJob job;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void empty() {
        sql("DELETE FROM probe_item");
    }

    @Test
    void removesOnlyRowsOlderThanTheKeepThatMeetTheCondition() {
        // 7 old rows (more than two batches of 3), 2 old but pinned, 3 recent
        sql("INSERT INTO probe_item (name, created_at) SELECT 'old-' || g, now() - interval '2 days' FROM generate_series(1, 7) g");
        sql("INSERT INTO probe_item (name, created_at) SELECT 'pinned-' || g, now() - interval '3 days' FROM generate_series(1, 2) g");
        sql("INSERT INTO probe_item (name, created_at) SELECT 'new-' || g, now() - interval '23 hours' FROM generate_series(1, 3) g");
        double before = removedCounter();

        Map<String, Long> removed = job.runAll().await().atMost(Duration.ofSeconds(20));

        assertEquals(Map.of("probe_item", 7L), removed);
        assertEquals(List.of("new-1", "new-2", "new-3", "pinned-1", "pinned-2"), names());
        assertEquals(7.0, removedCounter() - before);
        // a second run finds nothing more
        assertEquals(Map.of("probe_item", 0L), job.runAll().await().atMost(Duration.ofSeconds(20)));
        assertEquals(5, names().size());
    }

    @Test
    void replicasRunningAtOnceRemoveEachRowOnce() {
        sql("INSERT INTO probe_item (name, created_at) SELECT 'old-' || g, now() - interval '2 days' FROM generate_series(1, 200) g");
        sql("INSERT INTO probe_item (name) SELECT 'new-' || g FROM generate_series(1, 10) g");

        List<Map<String, Long>> runs = Uni.join().all(job.runAll(), job.runAll(), job.runAll()).andFailFast()
                .await().atMost(Duration.ofSeconds(30));

        assertEquals(200L, runs.stream().mapToLong(r -> r.get("probe_item")).sum());
        assertEquals(10, names().size());
    }

    @Test
    void aKeepBelowTheRulesMinimumIsRefused() {
        RetentionRule audit = TableRetention.of("audit", "occurred_at", Duration.ofDays(365)).atLeast(Duration.ofDays(90));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RetentionJob.checkKeep(audit, Duration.ofDays(30)));
        assertTrue(refused.getMessage().contains("evpower.retention.audit.keep=PT720H is below the minimum"),
                refused.getMessage());
        RetentionJob.checkKeep(audit, Duration.ofDays(90));
        assertThrows(IllegalStateException.class, () -> RetentionJob.checkKeep(
                TableRetention.of("t", "c", Duration.ofDays(1)), Duration.ofDays(-1)));
    }

    @Test
    void onlyPlainIdentifiersMakeARule() {
        assertThrows(IllegalArgumentException.class,
                () -> TableRetention.of("probe_item; DROP TABLE x", "created_at", Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class,
                () -> TableRetention.of("probe_item", "created_at < now() OR true", Duration.ofDays(1)));
    }

    @Test
    void aPartitionedTableIsRefusedAndNothingIsDeleted() {
        sql("CREATE TABLE IF NOT EXISTS probe_parted (id BIGINT, at TIMESTAMPTZ NOT NULL) PARTITION BY RANGE (at)");
        sql("CREATE TABLE IF NOT EXISTS probe_parted_all PARTITION OF probe_parted DEFAULT");
        sql("INSERT INTO probe_parted VALUES (1, now() - interval '30 days')");

        RuntimeException refused = assertThrows(RuntimeException.class, () -> TableRetention
                .of("probe_parted", "at", Duration.ofDays(1)).purge(pool, java.time.OffsetDateTime.now(), 10)
                .await().atMost(Duration.ofSeconds(10)));

        assertTrue(refused.getMessage().contains("probe_parted is partitioned"), refused.getMessage());
        assertEquals(1L, pool.query("SELECT count(*) FROM probe_parted").execute().await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0));
        sql("DROP TABLE probe_parted");
    }

    @Test
    void theKeepComesFromConfigurationWhenSet() {
        RetentionRule rule = TableRetention.of("probe_item", "created_at", Duration.ofDays(1)).named("configured_probe");
        assertEquals(Duration.ofDays(14), job.keep(rule));
        assertEquals(Duration.ofDays(1), job.keep(TableRetention.of("probe_item", "created_at", Duration.ofDays(1))));
    }

    private double removedCounter() {
        return registry.get("evpower.retention.removed.rows").tag("rule", "probe_item").counter().count();
    }

    private List<String> names() {
        return pool.query("SELECT name FROM probe_item ORDER BY name").execute().await().atMost(Duration.ofSeconds(10))
                .stream().map((Row row) -> row.getString("name")).toList();
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }
}
