package kg.evpower.platform.event;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import kg.evpower.platform.config.EventsConfig;
import kg.evpower.platform.config.InstanceId;

/** Starts one {@link StreamConsumer} per {@link EventHandler} bean at start-up and stops them at shutdown. */
@ApplicationScoped
public class EventConsumers {

    private final Instance<EventHandler> handlers;
    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final EventsConfig config;
    private final InstanceId instanceId;
    private final io.vertx.mutiny.sqlclient.Pool pool;
    private final List<StreamConsumer> running = new ArrayList<>();

    EventConsumers(Instance<EventHandler> handlers, ReactiveRedisDataSource redis, Vertx vertx, ObjectMapper mapper,
            EventsConfig config, InstanceId instanceId, io.vertx.mutiny.sqlclient.Pool pool) {
        this.pool = pool;
        this.handlers = handlers;
        this.redis = redis;
        this.vertx = vertx;
        this.mapper = mapper;
        this.config = config;
        this.instanceId = instanceId;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            return;
        }
        for (EventHandler handler : handlers) {
            StreamConsumer consumer = create(handler);
            running.add(consumer);
            consumer.start();
            Log.infof("Consuming %s as %s/%s", consumer.stream(), consumer.group(), instanceId.value());
        }
    }

    /** Forgets applied event ids older than the dedupe retention (replica-safe: a plain DELETE by age). */
    @io.quarkus.scheduler.Scheduled(every = "1h", delayed = "2m",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    io.smallrye.mutiny.Uni<Void> removeOldProcessedEvents() {
        return removeProcessedBefore(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .minus(config.consumer().dedupeRetention()))
                .onFailure().invoke(f -> Log.warnf("Could not remove old processed-event ids (will retry): %s", f.toString()))
                .onFailure().recoverWithItem(0).replaceWithVoid();
    }

    io.smallrye.mutiny.Uni<Integer> removeProcessedBefore(java.time.OffsetDateTime cutoff) {
        return pool.preparedQuery("DELETE FROM processed_event WHERE processed_at < $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(cutoff))
                .map(rows -> {
                    if (rows.rowCount() > 0) {
                        Log.infof("Removed %d processed-event ids older than %s", rows.rowCount(), cutoff);
                    }
                    return rows.rowCount();
                });
    }

    /**
     * Stops every consumer and waits (on the shutdown thread, at most {@code evpower.events.consumer.drain-timeout}) for
     * the entries being applied to finish; unfinished ones stay pending and another replica takes them over.
     */
    void onStop(@Observes ShutdownEvent event) {
        java.util.concurrent.CompletableFuture<?>[] draining = running.stream().map(StreamConsumer::stop)
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        running.clear();
        try {
            java.util.concurrent.CompletableFuture.allOf(draining)
                    .get(config.consumer().drainTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            Log.warnf("Stream entries still being applied after %s; they stay pending for another replica",
                    config.consumer().drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            Log.warnf("Draining the stream consumers failed: %s", e.getCause());
        }
    }

    /** The streams this instance consumes. */
    public java.util.Set<String> streams() {
        java.util.Set<String> streams = new java.util.TreeSet<>();
        for (EventHandler handler : handlers) {
            streams.add(handler.stream());
        }
        return streams;
    }

    /** A consumer for {@code handler} in this service's group; started by the caller. */
    public StreamConsumer create(EventHandler handler) {
        return new StreamConsumer(redis, vertx, mapper, config.consumer(), config.source(), instanceId.value(), handler);
    }
}
