package kg.evpower.platform.event;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.config.EventsConfig;

/**
 * Publishes committed outbox rows to their Redis streams ({@code XADD ... MAXLEN ~}) in id order and moves the
 * database's one position ({@code outbox_relay.published_through}) past them, in one database transaction per batch.
 * Rows are never changed (issue 9: marking each row published cost a row lock, a non-HOT update and an index entry per
 * event). Replicas coordinate through a transaction-scoped advisory lock: one publisher at a time per database.
 * <p>
 * A row is published only once it is <em>settled</em>: no transaction still running can commit a row with a lower id.
 * Each run samples the last id drawn and then draws a transaction id of its own (both in
 * {@code outbox_relay_horizon()}); every transaction that drew an id up to that sample had a lower transaction id,
 * because an outbox id is drawn only by a transaction that has one ({@code outbox_event_next_id()}). Once the oldest
 * transaction still running is newer than the sample's, every row up to the sample is committed or rolled back for
 * good, and a later run publishes it. So a commit is published one run after the run that saw it; while ids are drawn
 * but not settled the relay runs again after the linger. A transaction that stays open holds publication back (never
 * loses it): the relay says so in the log.
 * <p>
 * It is woken by {@code NOTIFY evpower_outbox}, sent by the database when a writing transaction commits, and sweeps on
 * a timer too. A crash between {@code XADD} and the commit republishes the batch: delivery is at-least-once, consumers
 * deduplicate.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Advisory lock key of the relay: any constant shared by all replicas of a service. */
    static final long LOCK_KEY = 0x45_76_50_6f_77_65_72L; // "EvPower"

    private static final String HORIZON =
            "SELECT published_through, oldest_running, last_id, sampled_tx FROM outbox_relay_horizon($1)";
    private static final String READ = """
            SELECT id, stream, payload FROM outbox_event WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3""";
    /** Only from the position this run read: a replay (the runbook moving it back) meanwhile is not undone. */
    private static final String ADVANCE = """
            UPDATE outbox_relay SET published_through = $1, updated_at = now() WHERE published_through = $2""";
    /** Deletes the published rows below the first row created at or after $1. */
    private static final String REMOVE_PUBLISHED = """
            DELETE FROM outbox_event WHERE id <= (SELECT published_through FROM outbox_relay)
              AND id < COALESCE((SELECT id FROM outbox_event WHERE created_at >= $1 ORDER BY id LIMIT 1),
                                9223372036854775807)""";
    /** Samples kept at most; a newer sample replaces the newest one beyond that (it only settles later). */
    private static final int MAX_SAMPLES = 64;
    /** How long a sample may wait to settle before the log says that a transaction holds publication back. */
    private static final Duration HELD_BACK_WARNING = Duration.ofSeconds(30);
    /** The least wait before a run for unsettled ids, when the linger is 0. */
    private static final Duration MIN_RERUN = Duration.ofMillis(5);

    /** A run's sample: the last outbox id drawn, and the relay's transaction id drawn after it. */
    private record Sample(long lastId, long tx, long takenAt) {
    }

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
    /** Samples of earlier runs, oldest first, and the highest id known to be settled; see the class comment. */
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long settledThrough;
    /** Whether the last run saw ids drawn that are not settled yet, so another run must follow. */
    private volatile boolean unsettled;
    private final AtomicLong lockedRuns = new AtomicLong();

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
        drainAfter(config.relay().linger().toMillis());
    }

    /** A publication run after {@code delayMillis} (0: now); a request while one is waiting is absorbed by it. */
    private void drainAfter(long delayMillis) {
        if (!config.relay().enabled() || stopped) {
            return;
        }
        if (delayMillis <= 0) {
            drainNow();
        } else if (lingering.compareAndSet(false, true)) {
            vertx.setTimer(delayMillis, id -> {
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

    /** Deletes published rows older than the retention (never one the relay has not passed); returns how many. */
    Uni<Integer> removePublishedBefore() {
        return removePublishedBefore(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .minus(config.relay().retention()));
    }

    /**
     * Deletes the published rows created before {@code cutoff}; returns how many. Rows are created in id order (to the
     * clock skew between replicas), so it deletes the rows below the first one created at or after the cutoff: an index
     * on the creation time would cost every event one more entry.
     */
    Uni<Integer> removePublishedBefore(java.time.OffsetDateTime cutoff) {
        return pool.preparedQuery(REMOVE_PUBLISHED)
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
            if (!running.get()) {
                // the run ended between the two lines above and may not have seen the request
                nudge();
            }
            return Uni.createFrom().item(0);
        }
        again.set(false);
        return drainFrom(0).onTermination().invoke((count, failure, cancelled) -> {
            running.set(false);
            if (again.getAndSet(false)) {
                // commits arrived during the last, partial batch: publish them after the linger
                nudge();
            } else if (unsettled && failure == null) {
                // ids drawn that were not settled yet: they can be published once their transactions have ended
                // (after a failure the sweep retries, once a second)
                runAgainSoon();
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
        return connection.preparedQuery(HORIZON).execute(Tuple.of(newestSample())).chain(horizon -> {
            Row row = horizon.iterator().next();
            long through = row.getLong("published_through");
            long lastId = row.getLong("last_id");
            long upTo = Math.min(settle(through, row.getLong("oldest_running"), lastId, row.getLong("sampled_tx")),
                    lastId);
            lockedRuns.incrementAndGet();
            unsettled = lastId > upTo;
            if (upTo <= through) {
                return Uni.createFrom().item(0);
            }
            int batch = config.relay().batchSize();
            return connection.preparedQuery(READ).execute(Tuple.of(through, upTo, batch)).chain(rows -> {
                List<Request> requests = new ArrayList<>(rows.size());
                long last = upTo;
                for (Row event : rows) {
                    last = event.getLong("id");
                    requests.add(Request.cmd(Command.XADD).arg(event.getString("stream"))
                            .arg("MAXLEN").arg("~").arg(config.relay().streamMaxLength())
                            .arg("*").arg(EventEnvelope.FIELD).arg(event.getString("payload")));
                }
                // a full batch ends at its last row; a shorter one read every row up to the settled id (ids of
                // rolled-back transactions are gaps, passed over too)
                long publishedThrough = rows.size() >= batch ? last : upTo;
                int count = rows.size();
                Uni<Void> added = requests.isEmpty() ? Uni.createFrom().voidItem()
                        : redis.batch(requests).replaceWithVoid();
                return added.chain(() -> connection.preparedQuery(ADVANCE).execute(Tuple.of(publishedThrough, through)))
                        .invoke(() -> published.increment(count))
                        .replaceWith(count);
            });
        });
    }

    /**
     * Settles the samples of earlier runs that every transaction still running is newer than, keeps this run's sample
     * (when it drew one) and returns the highest id settled. The position is settled too: no relay moves it past an id
     * that is not. Runs under the advisory lock, one at a time.
     */
    private synchronized long settle(long position, long oldestRunning, long lastId, Long sampledTx) {
        settledThrough = Math.max(settledThrough, position);
        while (!samples.isEmpty() && samples.peekFirst().tx() < oldestRunning) {
            settledThrough = Math.max(settledThrough, samples.pollFirst().lastId());
        }
        if (!samples.isEmpty()) {
            long heldFor = System.nanoTime() - samples.peekFirst().takenAt();
            if (heldFor > HELD_BACK_WARNING.toNanos()) {
                logFailure("publish outbox events beyond id " + settledThrough,
                        new IllegalStateException("a transaction open for over "
                                + HELD_BACK_WARNING.toSeconds() + " s holds publication back (pg_stat_activity)"));
            }
        }
        if (sampledTx != null) {
            // drawn only for ids beyond the newest sample (outbox_relay_horizon's argument)
            if (samples.size() >= MAX_SAMPLES) {
                samples.pollLast();
            }
            samples.addLast(new Sample(lastId, sampledTx, System.nanoTime()));
        }
        return settledThrough;
    }

    /** The last id of the newest sample kept, or 0: the horizon draws no new sample until ids are drawn beyond it. */
    private synchronized long newestSample() {
        return samples.isEmpty() ? 0 : samples.peekLast().lastId();
    }

    /** Whether the last run that held the lock saw ids drawn but not settled (for tests). */
    boolean waitingForSettlement() {
        return unsettled;
    }

    /** Runs of this instance that held the relay lock (for tests). */
    long lockedRuns() {
        return lockedRuns.get();
    }

    /** Runs the relay again after the linger (at least {@code MIN_RERUN}), for ids drawn but not settled yet. */
    private void runAgainSoon() {
        drainAfter(Math.max(config.relay().linger().toMillis(), MIN_RERUN.toMillis()));
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
