package kg.evpower.platform.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.config.EventsConfig;

@QuarkusTest
class StreamConsumerTest {

    private static final String GROUP = "platform-test-consumers";

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper mapper;

    @Inject
    EventsConfig config;

    @Inject
    Pool pool;

    private final List<StreamConsumer> started = new java.util.ArrayList<>();

    static final java.util.Set<String> SLOW_STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Counts applications per subject in the database; fails (without effect) for subjects starting with "fail". */
    static final class CountingHandler implements EventHandler {
        private final String stream;

        CountingHandler(String stream) {
            this.stream = stream;
        }

        @Override
        public String stream() {
            return stream;
        }

        @Override
        public Uni<Void> handle(EventEnvelope event) {
            if (event.subject().startsWith("slow")) {
                // takes a while, so a test can stop the consumer while it is being applied
                SLOW_STARTED.add(event.subject());
                return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1500))
                        .chain(() -> count(event));
            }
            if (event.subject().startsWith("tx-")) {
                // records which transaction applied it, so a test can see the entries that were applied together
                return Panache.getSession().chain(session -> session.createNativeQuery(
                        "INSERT INTO probe_counter (subject, count) VALUES (?1, (txid_current() % 1000000000)::int)")
                        .setParameter(1, event.subject()).executeUpdate()).replaceWithVoid();
            }
            return count(event);
        }

        private Uni<Void> count(EventEnvelope event) {
            return Panache.getSession().chain(session -> session.createNativeQuery("""
                    INSERT INTO probe_counter (subject, count) VALUES (?1, 1)
                    ON CONFLICT (subject) DO UPDATE SET count = probe_counter.count + 1""")
                    .setParameter(1, event.subject()).executeUpdate())
                    .invoke(() -> {
                        if (event.subject().startsWith("fail")) {
                            throw new IllegalStateException("handler failure for " + event.subject());
                        }
                    })
                    .replaceWithVoid();
        }
    }

    @AfterEach
    void stopConsumers() {
        started.forEach(StreamConsumer::stop);
    }

    @Test
    void redeliveredEventIsAppliedOnce() {
        String stream = newStream();
        String subject = "once-" + UUID.randomUUID();
        String event = envelope(UUID.randomUUID(), subject);
        streams().xadd(stream, Map.of("event", event)).await().indefinitely();
        streams().xadd(stream, Map.of("event", event)).await().indefinitely();
        start(stream, "member-a");

        kg.evpower.platform.testing.Reactive.eventually("both entries acknowledged", Duration.ofSeconds(10),
                () -> pendingCount(stream) == 0 && entriesDelivered(stream) == 2);
        assertEquals(1, counter(subject), "the effect happened once");
        assertEquals(1L, pool.preparedQuery("SELECT count(*) FROM processed_event WHERE consumer_group = $1 AND stream = $2")
                .execute(Tuple.of(GROUP, stream)).await().indefinitely().iterator().next().getLong(0));
    }

    @Test
    void theEntriesOfOneReadAreAppliedInOneTransaction() {
        String stream = newStream();
        List<String> subjects = java.util.stream.IntStream.range(0, 5).mapToObj(i -> "tx-" + i + "-" + UUID.randomUUID())
                .toList();
        addEvents(stream, subjects);
        start(stream, "member-t");

        kg.evpower.platform.testing.Reactive.eventually("all five applied and acknowledged", Duration.ofSeconds(10),
                () -> subjects.stream().allMatch(s -> counter(s) != 0) && pendingCount(stream) == 0);
        assertEquals(1, subjects.stream().map(this::counter).distinct().count(),
                "one transaction id for the five entries of the read");
        assertEquals(5L, processedCount(stream));
    }

    @Test
    void aFailingEntryAmongOthersReadTogetherFailsAlone() {
        String stream = newStream();
        String before = "before-" + UUID.randomUUID();
        String failing = "fail-" + UUID.randomUUID();
        String after = "after-" + UUID.randomUUID();
        addEvents(stream, List.of(before, failing, after));
        start(stream, "member-m");

        kg.evpower.platform.testing.Reactive.eventually("the two good entries are applied", Duration.ofSeconds(10),
                () -> counter(before) == 1 && counter(after) == 1);
        assertEquals(0, counter(failing), "the failing entry's effect was rolled back");
        kg.evpower.platform.testing.Reactive.eventually("the failing entry, alone, ends in the dead-letter stream",
                Duration.ofSeconds(20), () -> deadLetters(stream).size() == 1 && pendingCount(stream) == 0);
        assertTrue(deadLetters(stream).get(0).payload().get("event").contains(failing));
        assertEquals(1, counter(before), "the rolled-back transaction's other entries were applied once, not twice");
        assertEquals(2L, processedCount(stream));
    }

    @Test
    void entryLeftPendingByADeadConsumerIsTakenOver() {
        String stream = newStream();
        String subject = "orphan-" + UUID.randomUUID();
        createGroup(stream);
        streams().xadd(stream, Map.of("event", envelope(UUID.randomUUID(), subject))).await().indefinitely();
        // A member reads the entry and dies before acknowledging it.
        List<StreamMessage<String, String, String>> taken = streams()
                .xreadgroup(GROUP, "dead-member", stream, ">", new XReadGroupArgs().count(10)).await().indefinitely();
        assertEquals(1, taken.size());
        assertEquals(1, pendingCount(stream));

        start(stream, "survivor");
        kg.evpower.platform.testing.Reactive.eventually("the survivor claims and applies the entry",
                Duration.ofSeconds(15), () -> counter(subject) == 1 && pendingCount(stream) == 0);
        assertEquals(0, deadLetters(stream).size());
    }

    @Test
    void unparsableEntryIsDeadLetteredAndTheGroupGoesOn() {
        String stream = newStream();
        String after = "after-poison-" + UUID.randomUUID();
        streams().xadd(stream, Map.of("event", "{not json")).await().indefinitely();
        streams().xadd(stream, Map.of("other", "no event field")).await().indefinitely();
        streams().xadd(stream, Map.of("event", envelope(UUID.randomUUID(), after))).await().indefinitely();
        start(stream, "member-p");

        kg.evpower.platform.testing.Reactive.eventually("the good entry is applied", Duration.ofSeconds(10),
                () -> counter(after) == 1);
        kg.evpower.platform.testing.Reactive.eventually("nothing left pending", Duration.ofSeconds(10),
                () -> pendingCount(stream) == 0);
        List<StreamMessage<String, String, String>> dead = deadLetters(stream);
        assertEquals(2, dead.size());
        assertEquals("{not json", dead.get(0).payload().get("event"));
        assertEquals("unparsable envelope", dead.get(0).payload().get("reason"));
        assertEquals(GROUP, dead.get(0).payload().get("group"));
    }

    @Test
    void entryFailingTooOftenIsDeadLetteredWithoutItsEffect() {
        String stream = newStream();
        String failing = "fail-" + UUID.randomUUID();
        String healthy = "healthy-" + UUID.randomUUID();
        streams().xadd(stream, Map.of("event", envelope(UUID.randomUUID(), failing))).await().indefinitely();
        streams().xadd(stream, Map.of("event", envelope(UUID.randomUUID(), healthy))).await().indefinitely();
        start(stream, "member-f");

        kg.evpower.platform.testing.Reactive.eventually("the healthy entry is not blocked", Duration.ofSeconds(10),
                () -> counter(healthy) == 1);
        kg.evpower.platform.testing.Reactive.eventually("the failing entry reaches the dead-letter stream",
                Duration.ofSeconds(20), () -> deadLetters(stream).size() == 1 && pendingCount(stream) == 0);
        StreamMessage<String, String, String> dead = deadLetters(stream).get(0);
        assertTrue(dead.payload().get("reason").startsWith("failed "), dead.payload().get("reason"));
        assertTrue(dead.payload().get("event").contains(failing));
        assertEquals(0, counter(failing), "every failed attempt was rolled back");
        assertEquals(0L, pool.preparedQuery("SELECT count(*) FROM processed_event WHERE stream = $1 AND event_type = 'test.fail'")
                .execute(Tuple.of(stream)).await().indefinitely().iterator().next().getLong(0));
    }

    @Test
    void stoppingFinishesTheEntryBeingAppliedAndStartsNoOther() throws Exception {
        String stream = newStream();
        String slow = "slow-" + UUID.randomUUID();
        String next = "next-" + UUID.randomUUID();
        streams().xadd(stream, Map.of("event", envelope(UUID.randomUUID(), slow))).await().indefinitely();
        streams().xadd(stream, Map.of("event", envelope(UUID.randomUUID(), next))).await().indefinitely();
        StreamConsumer consumer = start(stream, "member-s");
        kg.evpower.platform.testing.Reactive.eventually("the slow entry is being applied", Duration.ofSeconds(10),
                () -> SLOW_STARTED.contains(slow));

        java.util.concurrent.CompletableFuture<Void> drained = consumer.stop();

        assertTrue(!drained.isDone(), "stop waits for the entry being applied");
        drained.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, counter(slow), "the entry in flight was applied");
        assertEquals(0, counter(next), "no entry was started after the stop");
        assertEquals(1, pendingCount(stream), "the entry not started stays pending for another replica");
        assertTrue(consumer.stop().isDone(), "a stopped consumer with nothing in flight is drained at once");
    }

    @Inject
    EventConsumers consumers;

    @Test
    void oldProcessedIdsAreForgottenAndRecentOnesKept() {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        String insert = "INSERT INTO processed_event (consumer_group, event_id, stream, event_type, processed_at) "
                + "VALUES ('retention-test', $1, 's', 't', $2)";
        pool.preparedQuery(insert).execute(Tuple.of(old, java.time.OffsetDateTime.now().minusDays(30)))
                .await().indefinitely();
        pool.preparedQuery(insert).execute(Tuple.of(recent, java.time.OffsetDateTime.now())).await().indefinitely();

        int removed = consumers.removeProcessedBefore(java.time.OffsetDateTime.now().minusDays(7)).await().indefinitely();

        assertTrue(removed >= 1);
        var left = pool.preparedQuery("SELECT event_id FROM processed_event WHERE consumer_group = 'retention-test'")
                .execute().await().indefinitely();
        assertEquals(1, left.size());
        assertEquals(recent, left.iterator().next().getUUID(0));
    }

    private StreamConsumer start(String stream, String member) {
        EventsConfig.Consumer consumerConfig = config.consumer();
        StreamConsumer consumer = new StreamConsumer(redis, vertx, mapper, consumerConfig, GROUP, member,
                new CountingHandler(stream));
        started.add(consumer);
        consumer.start();
        return consumer;
    }

    private String newStream() {
        return "evpower.test.consumer." + UUID.randomUUID();
    }

    private ReactiveStreamCommands<String, String, String> streams() {
        return redis.stream(String.class);
    }

    private void createGroup(String stream) {
        streams().xgroupCreate(stream, GROUP, "0", new XGroupCreateArgs().mkstream()).await().indefinitely();
    }

    private long pendingCount(String stream) {
        try {
            return streams().xpending(stream, GROUP).await().indefinitely().getPendingCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private long entriesDelivered(String stream) {
        return processedCount(stream) > 0 ? streams().xlen(stream).await().indefinitely() : -1;
    }

    /** Events of {@code stream} recorded as applied. */
    private long processedCount(String stream) {
        return pool.preparedQuery("SELECT count(*) FROM processed_event WHERE stream = $1")
                .execute(Tuple.of(stream)).await().indefinitely().iterator().next().getLong(0);
    }

    /** One new event per subject, in this order. */
    private void addEvents(String stream, List<String> subjects) {
        for (String subject : subjects) {
            streams().xadd(stream, Map.of("event", envelope(UUID.randomUUID(), subject))).await().indefinitely();
        }
    }

    private List<StreamMessage<String, String, String>> deadLetters(String stream) {
        return streams().xrange(StreamConsumer.deadLetterStream(stream), StreamRange.of("-", "+"))
                .await().indefinitely();
    }

    private int counter(String subject) {
        var rows = pool.preparedQuery("SELECT count FROM probe_counter WHERE subject = $1")
                .execute(Tuple.of(subject)).await().indefinitely();
        return rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0);
    }

    private static String envelope(UUID id, String subject) {
        return new io.vertx.core.json.JsonObject().put("id", id.toString())
                .put("type", subject.startsWith("fail") ? "test.fail" : "test.count").put("version", 1)
                .put("occurredAt", Instant.now().toString()).put("source", "platform-test").put("subject", subject)
                .put("data", new io.vertx.core.json.JsonObject()).encode();
    }
}
