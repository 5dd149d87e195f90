package kg.evpower.platform.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.config.EventsConfig;

/**
 * Publishes committed outbox rows to their Redis streams ({@code XADD ... MAXLEN ~}) and marks them published, in one
 * database transaction per batch. Replicas coordinate through a transaction-scoped advisory lock (one publisher at a time
 * per database, which also keeps a service's events in commit order) and {@code FOR UPDATE SKIP LOCKED}. It is woken by
 * {@code NOTIFY evpower_outbox}, sent by the database when a writing transaction commits, and sweeps on a timer too.
 * A crash between {@code XADD} and the commit republishes the batch: delivery is at-least-once, consumers deduplicate.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Advisory lock key of the relay: any constant shared by all replicas of a service. */
    static final long LOCK_KEY = 0x45_76_50_6f_77_65_72L; // "EvPower"

    private static final String CLAIM = """
            SELECT id, stream, payload FROM outbox_event
            WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""";
    private static final String MARK_PUBLISHED = """
            UPDATE outbox_event SET published_at = now(), stream_entry_id = u.entry
            FROM unnest($1::bigint[], $2::text[]) AS u(id, entry) WHERE outbox_event.id = u.id""";

    private final Pool pool;
    private final Redis redis;
    private final Vertx vertx;
    private final EventsConfig config;
    private final Counter published;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicBoolean lingering = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile SqlConnection listener;
    private volatile long lastFailureLog;

    OutboxRelay(Pool pool, Redis redis, Vertx vertx, EventsConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
        this.published = Counter.builder("evpower.outbox.published").description("Outbox events published to streams")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relay().enabled()) {
            listen();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        SqlConnection connection = listener;
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    /** Keeps one connection listening for commits of outbox rows; reconnects after a loss. */
    private void listen() {
        if (stopped) {
            return;
        }
        pool.getConnection().chain(connection -> {
            PgConnection pg = PgConnection.cast(connection);
            pg.notificationHandler(n -> nudge());
            pg.closeHandler(() -> {
                listener = null;
                if (!stopped) {
                    vertx.setTimer(config.consumer().retryBackoff().toMillis(), id -> listen());
                }
            });
            listener = connection;
            return connection.query("LISTEN evpower_outbox").execute();
        }).subscribe().with(ok -> nudge(), failure -> {
            logFailure("listen for outbox commits", failure);
            vertx.setTimer(config.consumer().retryBackoff().toMillis(), id -> listen());
        });
    }

    /**
     * Asks for a publication run soon: after {@code evpower.events.relay.linger}, so that under load the commits of
     * that moment go out in one batch (one transaction and one Redis pipeline) rather than one run each. Requests made
     * while a run is waiting or under way are absorbed by it.
     */
    public void nudge() {
        if (!config.relay().enabled() || stopped) {
            return;
        }
        long linger = config.relay().linger().toMillis();
        if (linger <= 0) {
            drainNow();
        } else if (lingering.compareAndSet(false, true)) {
            vertx.setTimer(linger, id -> {
                lingering.set(false);
                drainNow();
            });
        }
    }

    private void drainNow() {
        drain().subscribe().with(n -> { }, failure -> logFailure("publish outbox events", failure));
    }

    @Scheduled(every = "${evpower.events.relay.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = RelayDisabled.class)
    Uni<Void> sweep() {
        return drain().onFailure().invoke(failure -> logFailure("publish outbox events", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = RelayDisabled.class)
    Uni<Void> removeOldRows() {
        return removePublishedBefore().replaceWithVoid();
    }

    /** Deletes published rows older than the retention; returns how many. */
    Uni<Integer> removePublishedBefore() {
        java.time.OffsetDateTime cutoff = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .minus(config.relay().retention());
        return pool.preparedQuery("DELETE FROM outbox_event WHERE published_at < $1")
                .execute(Tuple.of(cutoff))
                .map(rows -> {
                    if (rows.rowCount() > 0) {
                        Log.infof("Outbox retention removed %d published events", rows.rowCount());
                    }
                    return rows.rowCount();
                })
                .onFailure().invoke(failure -> logFailure("remove published outbox events", failure))
                .onFailure().recoverWithItem(0);
    }

    /**
     * Publishes until nothing is pending. A call made while this instance is already publishing returns 0 at once;
     * the running call then asks for one more run (after the linger) when it ends.
     */
    public Uni<Integer> drain() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().item(0);
        }
        again.set(false);
        return drainFrom(0).onTermination().invoke(() -> {
            running.set(false);
            if (again.getAndSet(false)) {
                // commits arrived during the last, partial batch: publish them after the linger
                nudge();
            }
        });
    }

    private Uni<Integer> drainFrom(int total) {
        return publishBatch().chain(count -> {
            boolean more = count >= config.relay().batchSize();
            return more && !stopped ? drainFrom(total + count) : Uni.createFrom().item(total + count);
        });
    }

    /** Publishes one batch in one transaction; 0 when nothing is pending or another replica holds the relay lock. */
    public Uni<Integer> publishBatch() {
        return pool.withTransaction(connection -> connection.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK_KEY))
                .chain(lock -> lock.iterator().next().getBoolean(0)
                        ? claimAndPublish(connection)
                        : Uni.createFrom().item(0)));
    }

    private Uni<Integer> claimAndPublish(SqlConnection connection) {
        return connection.preparedQuery(CLAIM).execute(Tuple.of(config.relay().batchSize())).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(0);
            }
            List<Long> ids = new ArrayList<>(rows.size());
            List<Request> requests = new ArrayList<>(rows.size());
            for (Row row : rows) {
                ids.add(row.getLong("id"));
                requests.add(Request.cmd(Command.XADD).arg(row.getString("stream"))
                        .arg("MAXLEN").arg("~").arg(config.relay().streamMaxLength())
                        .arg("*").arg(EventEnvelope.FIELD).arg(row.getString("payload")));
            }
            return redis.batch(requests).chain(responses -> markPublished(connection, ids, responses));
        });
    }

    private Uni<Integer> markPublished(SqlConnection connection, List<Long> ids, List<Response> responses) {
        String[] entries = responses.stream().map(Response::toString).toArray(String[]::new);
        return connection.preparedQuery(MARK_PUBLISHED)
                .execute(Tuple.of(ids.toArray(Long[]::new), entries))
                .map(RowSet::rowCount)
                .invoke(count -> published.increment(count));
    }

    private void logFailure(String what, Throwable failure) {
        long now = System.nanoTime();
        if (now - lastFailureLog > Duration.ofSeconds(30).toNanos()) {
            lastFailureLog = now;
            Log.warnf("Could not %s (will retry): %s", what, failure.toString());
        }
    }

    /** Skips the scheduled runs where the relay is disabled by configuration. */
    @ApplicationScoped
    public static class RelayDisabled implements Scheduled.SkipPredicate {
        private final EventsConfig config;

        RelayDisabled(EventsConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.relay().enabled();
        }
    }
}
