package kg.evpower.platform.event;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.config.EventsConfig;

/**
 * Gauges of the event pipeline, sampled every 15 seconds off the request path: outbox rows waiting for publication and
 * the age of the oldest, and for each consumed stream this service's group's pending entries and lag (entries not yet
 * delivered to the group, from {@code XINFO GROUPS}).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its gauges exist from the start, not from the first sample
public class EventMetrics {

    private final Pool pool;
    private final Redis redis;
    private final EventsConfig config;
    private final MeterRegistry registry;
    private final EventConsumers consumers;
    private final AtomicLong outboxPending = new AtomicLong();
    private final AtomicLong outboxOldestSeconds = new AtomicLong();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();

    EventMetrics(Pool pool, Redis redis, EventsConfig config, MeterRegistry registry, EventConsumers consumers) {
        this.pool = pool;
        this.redis = redis;
        this.config = config;
        this.registry = registry;
        this.consumers = consumers;
        Gauge.builder("evpower.outbox.pending", outboxPending, AtomicLong::get)
                .description("Outbox events not yet published").register(registry);
        Gauge.builder("evpower.outbox.oldest.age.seconds", outboxOldestSeconds, AtomicLong::get)
                .description("Age of the oldest unpublished outbox event").register(registry);
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sample() {
        // the position first, as a value: with "id > (SELECT ...)" the planner cannot use the primary key and reads
        // the whole table
        Uni<Void> outbox = pool.query("SELECT published_through FROM outbox_relay").execute()
                .chain(position -> pool.preparedQuery("""
                        SELECT count(*) AS pending,
                               COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::bigint AS oldest
                        FROM outbox_event WHERE id > $1""")
                        .execute(Tuple.of(position.iterator().next().getLong(0))))
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    outboxPending.set(row.getLong("pending"));
                    outboxOldestSeconds.set(row.getLong("oldest"));
                })
                .replaceWithVoid().onFailure().recoverWithNull();
        Uni<Void> streams = Multi.createFrom().iterable(consumers.streams())
                .onItem().transformToUniAndConcatenate(this::sampleStream)
                .collect().last().replaceWithVoid();
        return outbox.chain(() -> streams);
    }

    private Uni<Void> sampleStream(String stream) {
        return redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream))
                .invoke(groups -> {
                    if (groups == null) {
                        return;
                    }
                    for (Response group : groups) {
                        if (config.source().equals(String.valueOf(group.get("name")))) {
                            gauge(pending, "evpower.stream.consumer.pending", stream).set(asLong(group.get("pending")));
                            gauge(lag, "evpower.stream.consumer.lag", stream).set(asLong(group.get("lag")));
                        }
                    }
                })
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    private AtomicLong gauge(Map<String, AtomicLong> gauges, String name, String stream) {
        return gauges.computeIfAbsent(stream, s -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag("stream", s).register(registry);
            return value;
        });
    }

    private static long asLong(Response value) {
        return value == null ? 0 : value.toLong();
    }
}
