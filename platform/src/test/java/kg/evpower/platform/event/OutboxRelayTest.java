package kg.evpower.platform.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.config.EventsConfig;

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
    void everyRowIsPublishedExactlyOnceWithSeveralRelaysRacing() {
        String stream = "evpower.test.relay." + UUID.randomUUID();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            JsonObject envelope = new JsonObject().put("id", id.toString()).put("type", "test.relay").put("version", 1)
                    .put("occurredAt", "2026-11-22T10:00:00Z").put("source", "platform-test").put("subject", "s" + i);
            pool.preparedQuery("INSERT INTO outbox_event (event_id, stream, event_type, subject, payload) "
                    + "VALUES ($1, $2, 'test.relay', $3, $4)")
                    .execute(Tuple.of(id, stream, "s" + i, envelope.encode())).await().indefinitely();
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

        List<StreamMessage<String, String, String>> entries = redisDataSource.stream(String.class)
                .xrange(stream, StreamRange.of("-", "+")).await().indefinitely();
        assertEquals(EVENTS, entries.size(), "one stream entry per outbox row");
        Set<UUID> published = new HashSet<>();
        for (StreamMessage<String, String, String> entry : entries) {
            published.add(UUID.fromString(new JsonObject(entry.payload().get("event")).getString("id")));
        }
        assertEquals(ids, published, "each row's event published once");

        long recorded = pool.preparedQuery("SELECT count(DISTINCT stream_entry_id) FROM outbox_event WHERE stream = $1")
                .execute(Tuple.of(stream)).await().indefinitely().iterator().next().getLong(0);
        assertEquals(EVENTS, recorded, "every row remembers its own stream entry id");
    }

    @Test
    void retentionRemovesOnlyPublishedRowsOlderThanTheRetention() {
        String stream = "evpower.test.retention." + UUID.randomUUID();
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        UUID unpublishedOld = UUID.randomUUID();
        String insert = "INSERT INTO outbox_event (event_id, stream, event_type, payload, created_at, published_at) "
                + "VALUES ($1, $2, 'test.retention', '{}', now() - interval '10 days', $3)";
        java.time.OffsetDateTime longAgo = java.time.OffsetDateTime.now().minusDays(10);
        pool.preparedQuery(insert).execute(Tuple.of(old, stream, longAgo)).await().indefinitely();
        pool.preparedQuery(insert).execute(Tuple.of(recent, stream, java.time.OffsetDateTime.now())).await().indefinitely();
        // Never published (e.g. Redis was down for long): kept whatever its age, so it is still published later.
        pool.preparedQuery("INSERT INTO outbox_event (event_id, stream, event_type, payload, created_at) "
                + "VALUES ($1, $2, 'test.retention', '{}', now() - interval '10 days')")
                .execute(Tuple.of(unpublishedOld, stream)).await().indefinitely();

        OutboxRelay relay = new OutboxRelay(pool, redis, vertx, config, registry);
        int removed = relay.removePublishedBefore().await().indefinitely();

        assertEquals(true, removed >= 1, "the old published row is removed");
        long left = pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE event_id = ANY($1)")
                .execute(Tuple.of((Object) new UUID[] {old, recent, unpublishedOld})).await().indefinitely()
                .iterator().next().getLong(0);
        assertEquals(2, left, "the recent published row and the unpublished one stay");
    }

    private long unpublished(String stream) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE stream = $1 AND published_at IS NULL")
                .execute(Tuple.of(stream)).await().indefinitely().iterator().next().getLong(0);
    }
}
