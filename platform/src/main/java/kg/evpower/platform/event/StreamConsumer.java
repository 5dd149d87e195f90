package kg.evpower.platform.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import kg.evpower.platform.config.EventsConfig;
import kg.evpower.platform.correlation.CorrelationId;
import kg.evpower.platform.vertx.NewContext;

/**
 * One member of a consumer group on one stream: {@code XREADGROUP} → deduplicate and apply in one database transaction →
 * {@code XACK}. The entries of one read are applied together, up to {@code max-per-transaction} in one transaction (one
 * commit instead of one per entry: under load most reads bring many entries); when such a transaction fails it is rolled
 * back and its entries are applied again one by one, so a bad entry fails alone and the others are not held back. A failed entry stays pending and is retried through {@code XAUTOCLAIM} once it has been idle for the
 * configured time (by this or any other member, so entries of a dead member are taken over). An unparsable entry, or one
 * delivered more than the configured number of times, is copied to the dead-letter stream {@code <stream>.dlq} and
 * acknowledged, so it never blocks the group.
 */
public class StreamConsumer {

    static final String DEDUPE = """
            INSERT INTO processed_event (consumer_group, event_id, stream, event_type, processed_at)
            VALUES (?1, ?2, ?3, ?4, now()) ON CONFLICT DO NOTHING""";

    private final ReactiveStreamCommands<String, String, String> streams;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final EventsConfig.Consumer config;
    private final String stream;
    private final String group;
    private final String consumer;
    private final EventHandler handler;
    private volatile boolean stopped = true;
    private volatile long claimTimer = -1;
    private volatile Context root;
    private volatile long lastFailureLog;
    /** Entries being applied right now, and what {@link #stop()} hands out to wait for them. */
    private final AtomicInteger applying = new AtomicInteger();
    private volatile CompletableFuture<Void> drained = CompletableFuture.completedFuture(null);

    public StreamConsumer(ReactiveRedisDataSource redis, Vertx vertx, ObjectMapper mapper, EventsConfig.Consumer config,
            String group, String consumer, EventHandler handler) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.vertx = vertx;
        this.mapper = mapper;
        this.config = config;
        this.stream = handler.stream();
        this.group = group;
        this.consumer = consumer;
        this.handler = handler;
    }

    public static String deadLetterStream(String stream) {
        return stream + ".dlq";
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return group;
    }

    public synchronized void start() {
        if (!stopped) {
            return;
        }
        stopped = false;
        root = vertx.getOrCreateContext();
        ensureGroup().subscribe().with(ok -> {
            readLoop();
            claimTimer = vertx.setPeriodic(config.claimInterval().toMillis(), id -> claimPending()
                    .subscribe().with(n -> { }, failure -> logFailure("take over pending entries", failure)));
        }, failure -> {
            logFailure("create consumer group", failure);
            stopped = true;
            vertx.setTimer(config.retryBackoff().toMillis(), id -> start());
        });
    }

    /**
     * Stops reading: no new entry is started (entries read but not started stay pending, for another replica to take
     * over). Completes when the entry being applied, if any, has finished.
     */
    public synchronized CompletableFuture<Void> stop() {
        stopped = true;
        if (claimTimer >= 0) {
            vertx.cancelTimer(claimTimer);
            claimTimer = -1;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        drained = done;
        if (applying.get() == 0) {
            done.complete(null);
        }
        return done;
    }

    private Uni<Void> ensureGroup() {
        return streams.xgroupCreate(stream, group, "0", new XGroupCreateArgs().mkstream())
                .onFailure(f -> String.valueOf(f.getMessage()).contains("BUSYGROUP")).recoverWithNull();
    }

    private void readLoop() {
        if (stopped) {
            return;
        }
        streams.xreadgroup(group, consumer, stream, ">",
                        new XReadGroupArgs().count(config.batchSize()).block(config.block()))
                .chain(this::processAll)
                .subscribe().with(count -> readLoop(), failure -> {
                    logFailure("read " + stream, failure);
                    if (String.valueOf(failure.getMessage()).contains("NOGROUP")) {
                        ensureGroup().subscribe().with(ok -> { }, f -> { });
                    }
                    vertx.setTimer(config.retryBackoff().toMillis(), id -> readLoop());
                });
    }

    /** Takes over entries idle for longer than the configured time, dead-lettering those delivered too often. */
    public Uni<Integer> claimPending() {
        if (stopped) {
            return Uni.createFrom().item(0);
        }
        return streams.xautoclaim(stream, group, consumer, config.claimMinIdle(), "0-0", config.batchSize())
                .chain(claimed -> processClaimed(claimed.getMessages(), 0));
    }

    private Uni<Integer> processClaimed(List<StreamMessage<String, String, String>> messages, int index) {
        if (index >= messages.size() || stopped) {
            return Uni.createFrom().item(messages.size());
        }
        StreamMessage<String, String, String> message = messages.get(index);
        return streams.xpending(stream, group, new StreamRange(message.id(), message.id()), 1)
                .chain(pending -> {
                    int deliveries = pending.isEmpty() ? 1 : pending.get(0).getDeliveryCount();
                    if (deliveries > config.maxDeliveries()) {
                        return deadLetter(message, "failed " + (deliveries - 1) + " deliveries");
                    }
                    return process(message);
                })
                .chain(() -> processClaimed(messages, index + 1));
    }

    private Uni<Integer> processAll(List<StreamMessage<String, String, String>> messages) {
        int together = Math.max(1, config.maxPerTransaction());
        if (together == 1 || messages.size() == 1) {
            return processEach(messages).replaceWith(messages.size());
        }
        List<List<StreamMessage<String, String, String>>> groups = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += together) {
            groups.add(messages.subList(i, Math.min(messages.size(), i + together)));
        }
        return inOrder(groups, group -> stopped ? Uni.createFrom().voidItem() : processTogether(group))
                .replaceWith(messages.size());
    }

    private record Parsed(StreamMessage<String, String, String> message, EventEnvelope envelope) {
    }

    /**
     * Applies entries in one transaction and acknowledges them with one {@code XACK}; unparsable ones are dead-lettered
     * first. If the transaction fails, each entry is applied again in its own (never fails itself).
     */
    private Uni<Void> processTogether(List<StreamMessage<String, String, String>> messages) {
        return tracked(() -> {
            List<Parsed> parsed = new ArrayList<>();
            List<StreamMessage<String, String, String>> unparsable = new ArrayList<>();
            for (StreamMessage<String, String, String> message : messages) {
                EventEnvelope envelope = parse(message);
                if (envelope == null) {
                    unparsable.add(message);
                } else {
                    parsed.add(new Parsed(message, envelope));
                }
            }
            Uni<Void> deadLettered = inOrder(unparsable, message -> deadLetter(message, "unparsable envelope"));
            return deadLettered.chain(() -> parsed.isEmpty() ? Uni.createFrom().voidItem()
                    : onNewContext(() -> Panache.withTransaction(() -> applyInOrder(parsed, 0)))
                            .chain(applied -> applied == 0 ? Uni.createFrom().voidItem()
                                    : streams.xack(stream, group, parsed.subList(0, applied).stream()
                                            .map(p -> p.message().id()).toArray(String[]::new)).replaceWithVoid())
                            .onFailure().recoverWithUni(failure -> {
                                Log.debugf("Applying %d entries of %s together failed (%s): one by one now",
                                        parsed.size(), stream, failure.toString());
                                return processEach(parsed.stream().map(Parsed::message).toList());
                            }));
        });
    }

    /**
     * Applies the entries from {@code index} on in the caller's transaction; gives how many were applied (fewer when
     * {@link #stop()} came in between: the rest stay pending, for another replica).
     */
    private Uni<Integer> applyInOrder(List<Parsed> parsed, int index) {
        if (index >= parsed.size() || stopped && index > 0) {
            return Uni.createFrom().item(index);
        }
        return dedupeAndHandle(parsed.get(index).envelope()).chain(() -> applyInOrder(parsed, index + 1));
    }

    /** Applies the entries one after the other, each in its own transaction, until a stop. */
    private Uni<Void> processEach(List<StreamMessage<String, String, String>> messages) {
        return inOrder(messages, message -> stopped ? Uni.createFrom().voidItem() : process(message));
    }

    /** Runs {@code step} for each item, each once the one before has completed. */
    private static <T> Uni<Void> inOrder(List<T> items, Function<T, Uni<Void>> step) {
        return inOrder(items, 0, step);
    }

    private static <T> Uni<Void> inOrder(List<T> items, int index, Function<T, Uni<Void>> step) {
        if (index >= items.size()) {
            return Uni.createFrom().voidItem();
        }
        return step.apply(items.get(index)).chain(() -> inOrder(items, index + 1, step));
    }

    /** Applies one entry; on failure leaves it pending (never fails itself); {@link #stop()} waits for it. */
    private Uni<Void> process(StreamMessage<String, String, String> message) {
        return tracked(() -> apply(message));
    }

    /** Counts {@code work} as being applied while it runs, so that {@link #stop()} waits for it. */
    private Uni<Void> tracked(Supplier<Uni<Void>> work) {
        return Uni.createFrom().deferred(() -> {
            applying.incrementAndGet();
            return work.get();
        }).onTermination().invoke(() -> {
            if (applying.decrementAndGet() == 0 && stopped) {
                drained.complete(null);
            }
        });
    }

    /** The entry's envelope, or null when it cannot be read. */
    private EventEnvelope parse(StreamMessage<String, String, String> message) {
        Map<String, String> fields = message.payload();
        String raw = fields == null ? null : fields.get(EventEnvelope.FIELD);
        try {
            return raw == null ? null : mapper.readValue(raw, EventEnvelope.class);
        } catch (Exception | Error e) {
            return null;
        }
    }

    /** Inside the caller's transaction: records the event as processed and, if it was new, hands it to the handler. */
    private Uni<Void> dedupeAndHandle(EventEnvelope envelope) {
        CorrelationId.set(envelope.correlationId() != null ? envelope.correlationId() : envelope.id().toString());
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(DEDUPE)
                        .setParameter(1, group).setParameter(2, envelope.id())
                        .setParameter(3, stream).setParameter(4, envelope.type())
                        .executeUpdate())
                .chain(inserted -> inserted == 0 ? Uni.createFrom().voidItem() : handler.handle(envelope));
    }

    private Uni<Void> apply(StreamMessage<String, String, String> message) {
        EventEnvelope envelope = parse(message);
        if (envelope == null) {
            return deadLetter(message, "unparsable envelope");
        }
        return onNewContext(() -> Panache.withTransaction(() -> dedupeAndHandle(envelope)))
                .chain(() -> streams.xack(stream, group, message.id()).replaceWithVoid())
                .onFailure().recoverWithUni(failure -> {
                    logFailure("apply " + envelope.type() + " " + envelope.id() + " from " + stream, failure);
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> deadLetter(StreamMessage<String, String, String> message, String reason) {
        Map<String, String> fields = message.payload();
        String raw = fields == null ? "" : String.valueOf(fields.getOrDefault(EventEnvelope.FIELD, ""));
        Log.warnf("Dead-lettering entry %s of %s for group %s: %s", message.id(), stream, group, reason);
        return streams.xadd(deadLetterStream(stream), Map.of(
                        EventEnvelope.FIELD, raw,
                        "group", group,
                        "consumer", consumer,
                        "entryId", message.id(),
                        "reason", reason))
                .chain(() -> streams.xack(stream, group, message.id()))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    logFailure("dead-letter entry " + message.id(), failure);
                    return Uni.createFrom().voidItem();
                });
    }

    /** Runs work on a fresh duplicated Vert.x context, as Hibernate Reactive requires, isolated from other entries. */
    private <T> Uni<T> onNewContext(Supplier<Uni<T>> work) {
        return NewContext.run(root, work);
    }

    private void logFailure(String what, Throwable failure) {
        long now = System.nanoTime();
        if (now - lastFailureLog > Duration.ofSeconds(10).toNanos()) {
            lastFailureLog = now;
            Log.warnf("Consumer %s/%s could not %s (will retry): %s", group, consumer, what, failure.toString());
        }
    }
}
