package kg.evpower.platform.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.config.EventsConfig;
import kg.evpower.platform.testing.Reactive;

@QuarkusTest
class OutboxRelayTest {

    private static final int EVENTS = 300;

    @Inject
    Pool pool;

    @Inject
    Redis redis;

    @Inject
    ReactiveRedisDataSource redisDataSource;

    @Inject
    Vertx vertx;

    @Inject
    EventsConfig config;

    @Inject
    MeterRegistry registry;

    @Test
    void everyRowIsPublishedExactlyOnceInIdOrderWithSeveralRelaysRacing() {
        String stream = "evpower.test.relay." + UUID.randomUUID();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add(insert(pool, stream, "s" + i));
        }

        // Two more relays (as two more replicas would run) race the application's own relay.
        OutboxRelay first = new OutboxRelay(pool, redis, vertx, config, registry);
        OutboxRelay second = new OutboxRelay(pool, redis, vertx, config, registry);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (unpublished(stream) > 0 && System.nanoTime() < deadline) {
            Uni.join().all(first.publishBatch(), second.publishBatch(), first.publishBatch(), second.publishBatch())
                    .andCollectFailures().await().indefinitely();
        }
        assertEquals(0, unpublished(stream));

        assertEquals(ids, published(stream), "one stream entry per outbox row, in the order of the rows");
    }

    @Test
    void aRowCommittedLateWithALowerIdIsPublishedBeforeTheRowsAfterIt() {
        String stream = "evpower.test.late." + UUID.randomUUID();
        SqlConnection open = pool.getConnection().await().indefinitely();
        try {
            open.query("BEGIN").execute().await().indefinitely();
            UUID late = insert(open, stream, "late");
            UUID early = insert(pool, stream, "committed-first");
            long lateId = open.preparedQuery("SELECT id FROM outbox_event WHERE event_id = $1").execute(Tuple.of(late))
                    .await().indefinitely().iterator().next().getLong(0);
            assertTrue(lateId < idOf(early), "the open transaction drew the lower id");

            // The application's relay runs every 200 ms and on every commit: it must not pass the open row's id.
            sleep(Duration.ofSeconds(1));
            assertEquals(List.of(), published(stream), "nothing is published while a lower id may still commit");
            assertTrue(position() < lateId, "the relay's position stays below the open transaction's row");

            open.query("COMMIT").execute().await().indefinitely();
        } finally {
            open.closeAndAwait();
        }
        Reactive.eventually("both rows are published", Duration.ofSeconds(10), () -> unpublished(stream) == 0);
        List<UUID> entries = published(stream);
        assertEquals(2, entries.size(), "each row once: " + entries);
        assertEquals(UUID.fromString(payloadId(stream, "late")), entries.get(0), "the lower id first");
    }

    @Test
    void aRolledBackRowIsPassedOverAndTheRowsAfterItArePublished() {
        String stream = "evpower.test.rollback." + UUID.randomUUID();
        SqlConnection open = pool.getConnection().await().indefinitely();
        try {
            open.query("BEGIN").execute().await().indefinitely();
            insert(open, stream, "rolled-back");
            UUID after = insert(pool, stream, "after");
            open.query("ROLLBACK").execute().await().indefinitely();
            Reactive.eventually("the row after the gap is published", Duration.ofSeconds(10),
                    () -> published(stream).equals(List.of(after)));
        } finally {
            open.closeAndAwait();
        }
        assertEquals(0, unpublished(stream));
    }

    @Test
    void movingThePositionBackPublishesTheRowsAgain() {
        // the runbook's replay after a Redis loss
        String stream = "evpower.test.replay." + UUID.randomUUID();
        UUID id = insert(pool, stream, "replayed");
        Reactive.eventually("published once", Duration.ofSeconds(10), () -> published(stream).size() == 1);

        pool.preparedQuery("UPDATE outbox_relay SET published_through = $1").execute(Tuple.of(idOf(id) - 1))
                .await().indefinitely();

        Reactive.eventually("published again", Duration.ofSeconds(10), () -> published(stream).size() == 2);
        assertEquals(List.of(id, id), published(stream));
    }

    @Test
    void aRelayThatFindsEverythingPublishedDoesNotAskToRunAgain() {
        insert(pool, "evpower.test.idle." + UUID.randomUUID(), "published-before");
        Reactive.eventually("everything drawn is published", Duration.ofSeconds(10), () -> pool.query("""
                SELECT count(*) FROM outbox_relay, outbox_event_seq
                WHERE published_through < CASE WHEN is_called THEN last_value ELSE last_value - 1 END""")
                .execute().await().indefinitely().iterator().next().getLong(0) == 0);

        // a replica that has just started: it has no samples of its own and must not poll an idle database
        OutboxRelay started = new OutboxRelay(pool, redis, vertx, config, registry);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (started.lockedRuns() == 0 && System.nanoTime() < deadline) {
            started.publishBatch().await().indefinitely();
        }
        assertTrue(started.lockedRuns() > 0, "the relay got the lock");
        assertEquals(false, started.waitingForSettlement(), "nothing is left to settle, so no run is asked for");
    }

    @Test
    void retentionRemovesOnlyPublishedRowsCreatedBeforeTheCutoff() {
        String stream = "evpower.test.retention." + UUID.randomUUID();
        UUID old = insert(pool, stream, "old");
        Reactive.eventually("published", Duration.ofSeconds(10), () -> unpublished(stream) == 0);
        java.time.OffsetDateTime cutoff = pool.query("SELECT now()").execute().await().indefinitely().iterator().next()
                .getOffsetDateTime(0);
        UUID recent = insert(pool, stream, "recent");
        Reactive.eventually("published", Duration.ofSeconds(10), () -> unpublished(stream) == 0);

        // Never published (here: held back by a transaction that stays open; in production Redis down for days): kept
        // whatever its age, so it is still published later.
        SqlConnection open = pool.getConnection().await().indefinitely();
        UUID unpublishedOld;
        try {
            open.query("BEGIN").execute().await().indefinitely();
            open.query("SELECT pg_current_xact_id()").execute().await().indefinitely();
            unpublishedOld = insert(pool, stream, "unpublished-old", "now() - interval '10 days'");
            sleep(Duration.ofMillis(500));
            assertEquals(1, unpublished(stream), "held back by the open transaction");

            OutboxRelay relay = new OutboxRelay(pool, redis, vertx, config, registry);
            int removed = relay.removePublishedBefore(cutoff).await().indefinitely();

            assertTrue(removed >= 1, "the old published row is removed");
            assertEquals(0, countOf(old), "the published row created before the cutoff is gone");
            assertEquals(1, countOf(recent), "the published row created after the cutoff stays");
            assertEquals(1, countOf(unpublishedOld), "the unpublished row stays, however old");
        } finally {
            open.query("ROLLBACK").execute().await().indefinitely();
            open.closeAndAwait();
        }
        Reactive.eventually("the kept row is published", Duration.ofSeconds(10), () -> unpublished(stream) == 0);
    }

    private static UUID insert(io.vertx.mutiny.sqlclient.SqlClient client, String stream, String subject) {
        return insert(client, stream, subject, "now()");
    }

    private static UUID insert(io.vertx.mutiny.sqlclient.SqlClient client, String stream, String subject,
            String createdAt) {
        UUID id = UUID.randomUUID();
        JsonObject envelope = new JsonObject().put("id", id.toString()).put("type", "test.relay").put("version", 1)
                .put("occurredAt", "2026-11-22T10:00:00Z").put("source", "platform-test").put("subject", subject);
        client.preparedQuery("INSERT INTO outbox_event (event_id, stream, event_type, subject, payload, created_at) "
                + "VALUES ($1, $2, 'test.relay', $3, $4, " + createdAt + ")")
                .execute(Tuple.of(id, stream, subject, envelope.encode())).await().indefinitely();
        return id;
    }

    /** The event ids in the stream, in stream order. */
    private List<UUID> published(String stream) {
        List<StreamMessage<String, String, String>> entries = redisDataSource.stream(String.class)
                .xrange(stream, StreamRange.of("-", "+")).await().indefinitely();
        List<UUID> ids = new ArrayList<>();
        for (StreamMessage<String, String, String> entry : entries) {
            ids.add(UUID.fromString(new JsonObject(entry.payload().get("event")).getString("id")));
        }
        return ids;
    }

    private long unpublished(String stream) {
        return single("SELECT count(*) FROM outbox_event WHERE stream = $1 "
                + "AND id > (SELECT published_through FROM outbox_relay)", stream);
    }

    private long position() {
        return pool.query("SELECT published_through FROM outbox_relay").execute().await().indefinitely()
                .iterator().next().getLong(0);
    }

    private long idOf(UUID eventId) {
        return single("SELECT id FROM outbox_event WHERE event_id = $1", eventId);
    }

    private long countOf(UUID eventId) {
        return single("SELECT count(*) FROM outbox_event WHERE event_id = $1", eventId);
    }

    private String payloadId(String stream, String subject) {
        return pool.preparedQuery("SELECT event_id::text FROM outbox_event WHERE stream = $1 AND subject = $2")
                .execute(Tuple.of(stream, subject)).await().indefinitely().iterator().next().getString(0);
    }

    private long single(String sql, Object parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next()
                .getLong(0);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
