package kg.evpower.platform.sql;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

/**
 * Group commit: many small units of work written in one database transaction, each caller answered only once that
 * transaction has committed (so nothing is acknowledged before it is durable). With no flush running, a unit is written at
 * once, alone; while {@code maxInFlight} flushes run, new units queue and the next flush takes up to {@code maxBatch} of
 * them. Under load the batches grow by themselves and the per-unit cost of BEGIN, COMMIT (its WAL flush) and the statements
 * falls; at low load nothing waits for a timer.
 * <p>
 * When a batch fails, each of its units is retried in a transaction of its own, so one bad unit fails alone and the others
 * are still written. Runs on the plain Vert.x SQL client: no Mutiny operators and no context propagation per unit.
 * <p>
 * A writer whose batch is one statement ({@link #singleStatement}: several tables through data-modifying {@code WITH}
 * clauses, its events through {@code Outbox.insertAllStatement}) needs no transaction around it: PostgreSQL runs one
 * statement atomically, and the batch costs one round trip instead of four (BEGIN, two statements, COMMIT).
 *
 * @param <T> one unit of work, e.g. one station message's rows
 */
public final class GroupCommit<T> {

    /** Writes all {@code units} on {@code connection}, inside the transaction the group commit opened. */
    @FunctionalInterface
    public interface Writer<T> {
        Future<Void> write(SqlConnection connection, List<T> units);
    }

    /** Writes all {@code units} with exactly one statement on {@code client}, which commits on its own. */
    @FunctionalInterface
    public interface StatementWriter<T> {
        Future<Void> write(SqlClient client, List<T> units);
    }

    private record Pending<T>(T unit, Promise<Void> done) {
    }

    private final String name;
    private final Function<List<T>, Future<Void>> writer;
    private final int maxBatch;
    private final int maxInFlight;
    private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
    private final Counter batches;
    private final Counter units;
    private final Counter retried;
    private int inFlight;
    private volatile long lingerMillis;

    /** A group commit whose writer may issue several statements: each batch is one transaction. */
    public GroupCommit(String name, Pool pool, Writer<T> writer, int maxBatch, int maxInFlight, MeterRegistry registry) {
        this(name, work -> pool.withTransaction(connection -> {
            try {
                return writer.write(connection, work);
            } catch (RuntimeException e) {
                // rolled back like a failed statement
                return Future.failedFuture(e);
            }
        }), maxBatch, maxInFlight, registry);
    }

    /** A group commit whose writer writes each batch with one statement, without BEGIN and COMMIT around it. */
    public static <T> GroupCommit<T> singleStatement(String name, Pool pool, StatementWriter<T> writer, int maxBatch,
            int maxInFlight, MeterRegistry registry) {
        return new GroupCommit<>(name, work -> writer.write(pool, work), maxBatch, maxInFlight, registry);
    }

    private GroupCommit(String name, Function<List<T>, Future<Void>> writer, int maxBatch, int maxInFlight,
            MeterRegistry registry) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
        }
        this.name = name;
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.batches = Counter.builder("evpower_group_commit_batches_total").tag("name", name)
                .description("Transactions written by a group commit").register(registry);
        this.units = Counter.builder("evpower_group_commit_units_total").tag("name", name)
                .description("Units of work written by a group commit (units / batches = the mean batch size)")
                .register(registry);
        this.retried = Counter.builder("evpower_group_commit_retried_batches_total").tag("name", name)
                .description("Batches that failed and were retried one unit per transaction").register(registry);
    }

    /** Queues {@code unit}; the future completes when the transaction holding it has committed, or fails with its error. */
    public Future<Void> submit(T unit) {
        Promise<Void> done = Promise.promise();
        List<Pending<T>> batch;
        synchronized (this) {
            queue.add(new Pending<>(unit, done));
            if (inFlight >= maxInFlight) {
                return done.future();
            }
            inFlight++;
            batch = take();
        }
        flush(batch);
        return done.future();
    }

    /**
     * How long the next flush waits when units are already waiting at the end of a flush but fewer than a full batch
     * (0, the default: none). A unit that finds the group commit idle is never delayed; under load batches grow, and
     * each saves PostgreSQL a commit (its WAL flush) and a statement per unit it adds.
     */
    public GroupCommit<T> lingering(Duration linger) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative, was " + linger);
        }
        this.lingerMillis = linger.toMillis();
        return this;
    }

    /** Units waiting for a flush (for tests and metrics). */
    public synchronized int queued() {
        return queue.size();
    }

    private List<Pending<T>> take() {
        int size = Math.min(queue.size(), maxBatch);
        List<Pending<T>> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private void flush(List<Pending<T>> batch) {
        List<T> work = new ArrayList<>(batch.size());
        for (Pending<T> pending : batch) {
            work.add(pending.unit());
        }
        write(work).onComplete(result -> {
            batches.increment();
            units.increment(batch.size());
            if (result.succeeded()) {
                batch.forEach(pending -> pending.done().tryComplete());
                next();
            } else if (batch.size() == 1) {
                batch.get(0).done().tryFail(result.cause());
                next();
            } else {
                retried.increment();
                Log.warnf("Group commit %s: a batch of %d failed (%s); writing each unit alone", name, batch.size(),
                        result.cause().toString());
                retryEach(batch, 0);
            }
        });
    }

    private Future<Void> write(List<T> work) {
        try {
            return writer.apply(work);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private void retryEach(List<Pending<T>> batch, int index) {
        if (index >= batch.size()) {
            next();
            return;
        }
        Pending<T> pending = batch.get(index);
        write(List.of(pending.unit())).onComplete(result -> {
            if (result.succeeded()) {
                pending.done().tryComplete();
            } else {
                pending.done().tryFail(result.cause());
            }
            retryEach(batch, index + 1);
        });
    }

    /** After a flush: the next batch (after the linger, when one is set and the queue is short), or a free slot. */
    private void next() {
        next(true);
    }

    private void next(boolean mayLinger) {
        List<Pending<T>> batch;
        synchronized (this) {
            if (queue.isEmpty()) {
                // nothing waits (after a linger: another flush, with maxInFlight > 1, took the units meanwhile)
                inFlight--;
                return;
            }
            Context context = Vertx.currentContext();
            if (mayLinger && lingerMillis > 0 && queue.size() < maxBatch && context != null) {
                // units are waiting, but fewer than a full batch: under load more arrive within the linger, and a
                // larger batch costs PostgreSQL one commit instead of several (the slot stays taken meanwhile)
                context.owner().setTimer(lingerMillis, id -> next(false));
                return;
            }
            batch = take();
        }
        flush(batch);
    }
}
