package kg.evpower.platform.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.testing.Reactive;

@QuarkusTest
class SqlTransactionTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    Vertx vertx;

    @Test
    void theRowAndItsOutboxEventCommitTogether() {
        String name = "sql-tx-" + UUID.randomUUID();

        var envelope = Reactive.run(vertx, () -> SqlTransaction.run(pool, () -> insert(name)
                .chain(() -> SqlTransaction.run(pool, () -> outbox.append("evpower.test.sqltx", "test.sqltx", name,
                        java.util.Map.of("name", name))))));

        assertEquals(1, count("SELECT count(*) FROM probe_item WHERE name = $1", name));
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE event_id = $1 AND subject = $2 "
                + "AND stream = 'evpower.test.sqltx' AND payload LIKE '%' || $2 || '%'", envelope.id(), name));
    }

    @Test
    void aFailureRollsBackTheRowAndTheEvent() {
        String name = "sql-tx-fail-" + UUID.randomUUID();

        RuntimeException failure = assertThrows(RuntimeException.class, () -> Reactive.run(vertx,
                () -> SqlTransaction.run(pool, () -> insert(name)
                        .chain(() -> outbox.append("evpower.test.sqltx", "test.sqltx", name, null))
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("boom after the writes"))))));

        assertTrue(String.valueOf(failure.getMessage()).contains("boom"), String.valueOf(failure));
        assertEquals(0, count("SELECT count(*) FROM probe_item WHERE name = $1", name));
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE subject = $1", name));
        assertNull(Reactive.run(vertx, () -> Uni.createFrom().item(() -> SqlTransaction.current())),
                "nothing is left open on the context");
    }

    @Test
    void outsideAnyTransactionTheOutboxStillRefuses() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> Reactive.run(vertx,
                () -> outbox.append("evpower.test.sqltx", "test.sqltx", "nobody", null)));
        assertTrue(String.valueOf(refused.getMessage()).contains("must run inside the transaction"), String.valueOf(refused));
    }

    private Uni<Void> insert(String name) {
        return SqlTransaction.current().preparedQuery("INSERT INTO probe_item (name) VALUES ($1)")
                .execute(Tuple.of(name)).replaceWithVoid();
    }

    private long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
