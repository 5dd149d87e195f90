package kg.evpower.platform.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.SqlConnection;
import kg.evpower.platform.event.Outbox;

@QuarkusTest
class GroupCommitTest {

    private static final String INSERT = "INSERT INTO probe_item (name) SELECT * FROM unnest($1::varchar[])";
    private static final String INSERT_WITH_EVENTS = "WITH item AS (" + INSERT + ") " + Outbox.insertAllStatement(2);

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    MeterRegistry registry;

    @Inject
    io.vertx.core.Vertx vertx;

    /** Each unit is a probe_item name and its event; a name over 100 characters fails the statement. */
    private Future<Void> write(SqlConnection connection, List<String> names) {
        List<Outbox.Pending> events = names.stream()
                .map(name -> new Outbox.Pending("evpower.test.group", "test.group", name, Map.of("name", name)))
                .toList();
        return connection.preparedQuery(INSERT).execute(io.vertx.sqlclient.Tuple.of(names.toArray(String[]::new)))
                .compose(rows -> outbox.appendAll(connection, events));
    }

    /** The same rows and events with one statement, outside any transaction. */
    private Future<Void> writeOneStatement(io.vertx.sqlclient.SqlClient client, List<String> names) {
        List<Outbox.Pending> events = names.stream()
                .map(name -> new Outbox.Pending("evpower.test.group", "test.group", name, Map.of("name", name)))
                .toList();
        return client.preparedQuery(INSERT_WITH_EVENTS)
                .execute(io.vertx.sqlclient.Tuple.from(
                        outbox.parameters(events, (Object) names.toArray(String[]::new))))
                .mapEmpty();
    }

    private GroupCommit<String> commits(String run, boolean singleStatement) {
        return singleStatement
                ? GroupCommit.singleStatement(run, pool.getDelegate(), this::writeOneStatement, 50, 1, registry)
                : new GroupCommit<>(run, pool.getDelegate(), this::write, 50, 1, registry);
    }

    @ParameterizedTest(name = "single statement: {0}")
    @ValueSource(booleans = {false, true})
    void concurrentUnitsShareTransactionsAndEachIsAnsweredAfterItsCommit(boolean singleStatement) throws Exception {
        String run = "group-" + UUID.randomUUID();
        GroupCommit<String> commits = commits(run, singleStatement);
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = run + "-" + i;
            CompletableFuture<Long> answer = new CompletableFuture<>();
            // when a unit is answered, its row must already be visible to another connection: it has committed
            commits.submit(name).onComplete(done -> {
                if (done.failed()) {
                    answer.completeExceptionally(done.cause());
                    return;
                }
                pool.getDelegate().preparedQuery("SELECT count(*) FROM probe_item WHERE name = $1")
                        .execute(io.vertx.sqlclient.Tuple.of(name))
                        .onComplete(rows -> answer.complete(rows.succeeded()
                                ? rows.result().iterator().next().getLong(0) : -1L));
            });
            answers.add(answer);
        }
        for (CompletableFuture<Long> answer : answers) {
            assertEquals(1L, answer.get(30, TimeUnit.SECONDS), "a unit is answered only once its row is committed");
        }

        assertEquals(200, count("SELECT count(*) FROM probe_item WHERE name LIKE $1", run + "-%"));
        assertEquals(200, count("SELECT count(*) FROM outbox_event WHERE subject LIKE $1", run + "-%"));
        double batches = registry.get("evpower_group_commit_batches_total").tag("name", run).counter().count();
        double units = registry.get("evpower_group_commit_units_total").tag("name", run).counter().count();
        assertEquals(200.0, units);
        assertTrue(batches < 200 && batches >= 4, "200 units queued behind one flush share transactions: " + batches);
        assertEquals(0, commits.queued());
    }

    @ParameterizedTest(name = "single statement: {0}")
    @ValueSource(booleans = {false, true})
    void aBadUnitFailsAloneAndTheOthersOfItsBatchAreWritten(boolean singleStatement) throws Exception {
        String run = "group-bad-" + UUID.randomUUID();
        GroupCommit<String> commits = commits(run, singleStatement);
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        String tooLong = run + "-" + "x".repeat(120);
        for (int i = 0; i < 20; i++) {
            String name = i == 7 ? tooLong : run + "-" + i;
            CompletableFuture<Void> answer = new CompletableFuture<>();
            commits.submit(name).onComplete(done -> {
                if (done.succeeded()) {
                    answer.complete(null);
                } else {
                    answer.completeExceptionally(done.cause());
                }
            });
            answers.add(answer);
        }
        int failed = 0;
        for (int i = 0; i < answers.size(); i++) {
            try {
                answers.get(i).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
                assertEquals(7, i, "only the bad unit fails");
                assertTrue(e.getCause().getMessage().contains("too long"), e.getCause().getMessage());
            }
        }
        assertEquals(1, failed);
        assertEquals(19, count("SELECT count(*) FROM probe_item WHERE name LIKE $1", run + "-%"));
        assertEquals(19, count("SELECT count(*) FROM outbox_event WHERE subject LIKE $1", run + "-%"));
        assertEquals(0, count("SELECT count(*) FROM probe_item WHERE name = $1", tooLong));
        assertTrue(registry.get("evpower_group_commit_retried_batches_total").tag("name", run).counter().count() >= 1);
    }

    @Test
    void unitsArrivingDuringALingerShareTheNextCommitAndALoneUnitDoesNotWait() throws Exception {
        String run = "group-linger-" + UUID.randomUUID();
        List<List<String>> flushed = java.util.Collections.synchronizedList(new ArrayList<>());
        io.vertx.core.Promise<Void> firstHeld = io.vertx.core.Promise.promise();
        GroupCommit<String> commits = GroupCommit.<String>singleStatement(run, pool.getDelegate(),
                (client, names) -> {
                    flushed.add(List.copyOf(names));
                    Future<Void> written = writeOneStatement(client, names);
                    // the first flush ends only when the test lets it, so that the next unit is waiting by then
                    return flushed.size() == 1 ? written.compose(done -> firstHeld.future()) : written;
                }, 200, 1, registry).lingering(java.time.Duration.ofMillis(200));

        List<Future<Void>> answers = new ArrayList<>();
        answers.add(commits.submit(run + "-a"));
        assertEquals(List.of(List.of(run + "-a")), flushed, "a unit on an idle group commit is written at once");
        answers.add(commits.submit(run + "-b"));
        assertEquals(1, flushed.size(), "b waits for the flush under way");

        // a's flush ends on an event loop with b waiting: the next flush lingers (without the linger b would be
        // written at once, alone), and c, d and e, sent a little later, join b
        vertx.runOnContext(ignored -> firstHeld.complete());
        answers.get(0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Thread.sleep(20);
        for (String name : List.of("-c", "-d", "-e")) {
            answers.add(commits.submit(run + name));
        }
        for (Future<Void> answer : answers) {
            answer.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        assertEquals(List.of(List.of(run + "-a"), List.of(run + "-b", run + "-c", run + "-d", run + "-e")), flushed,
                "the units that arrived during the linger share one commit");
        assertEquals(5, count("SELECT count(*) FROM probe_item WHERE name LIKE $1", run + "-%"));
        assertEquals(5, count("SELECT count(*) FROM outbox_event WHERE subject LIKE $1", run + "-%"));
        assertEquals(0, commits.queued());
    }

    @Test
    void aNegativeLingerIsRefusedByNameAndTheGroupCommitStaysAsItWas() throws Exception {
        String run = "group-negative-" + UUID.randomUUID();
        GroupCommit<String> commits = GroupCommit.singleStatement(run, pool.getDelegate(), this::writeOneStatement,
                200, 1, registry);

        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> commits.lingering(java.time.Duration.ofMillis(-1)));
        assertEquals("linger must not be negative, was PT-0.001S", refused.getMessage());

        // still without a linger: a lone unit is written at once and answered after its commit
        commits.submit(run + "-a").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        commits.submit(run + "-b").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(2, count("SELECT count(*) FROM probe_item WHERE name LIKE $1", run + "-%"));
        assertEquals(2.0, registry.get("evpower_group_commit_batches_total").tag("name", run).counter().count());
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next().getLong(0);
    }
}
