package kg.evpower.platform.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.probe.ProbeService;
import kg.evpower.platform.testing.Reactive;

@QuarkusTest
class OutboxTest {

    @Inject
    ProbeService probes;

    @Inject
    Outbox outbox;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Test
    void committedChangeStoresItsEventWithTheEnvelope() {
        String name = "committed-" + UUID.randomUUID();
        EventEnvelope event = Reactive.run(vertx, () -> probes.create(name, false));

        assertEquals(1, count("SELECT count(*) FROM probe_item WHERE name = $1", name));
        Row row = pool.preparedQuery("SELECT stream, event_type, subject, payload FROM outbox_event WHERE event_id = $1")
                .execute(Tuple.of(event.id())).await().indefinitely().iterator().next();
        assertEquals(ProbeService.STREAM, row.getString("stream"));
        assertEquals("probe.item.created", row.getString("event_type"));
        assertEquals(name, row.getString("subject"));
        JsonObject payload = new JsonObject(row.getString("payload"));
        assertEquals(event.id().toString(), payload.getString("id"));
        assertEquals("probe.item.created", payload.getString("type"));
        assertEquals(1, payload.getInteger("version"));
        assertEquals("platform-test", payload.getString("source"));
        assertEquals(name, payload.getString("subject"));
        assertEquals(name, payload.getJsonObject("data").getString("name"));
        assertTrue(payload.getString("occurredAt").endsWith("Z"), "occurredAt is ISO-8601 UTC");
    }

    @Test
    void rolledBackChangeLeavesNoEvent() {
        String name = "rolled-back-" + UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> Reactive.run(vertx, () -> probes.create(name, true)));

        assertEquals(0, count("SELECT count(*) FROM probe_item WHERE name = $1", name));
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE subject = $1", name));
    }

    @Test
    void appendOutsideATransactionIsRefused() {
        String subject = "no-tx-" + UUID.randomUUID();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Reactive.run(vertx,
                () -> outbox.append(ProbeService.STREAM, "probe.item.created", subject, Map.of())));
        assertTrue(refused.getMessage().contains("inside the transaction"), refused.getMessage());
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE subject = $1", subject));
    }

    @Test
    void committedEventIsPublishedWithoutBeingAskedTo() {
        String name = "published-" + UUID.randomUUID();
        EventEnvelope event = Reactive.run(vertx, () -> probes.create(name, false));
        Reactive.eventually("the relay publishes the committed event", Duration.ofSeconds(10), () -> count(
                "SELECT count(*) FROM outbox_event WHERE event_id = $1 "
                + "AND id <= (SELECT published_through FROM outbox_relay)", event.id()) == 1);
    }

    private long count(String sql, Object parameter) {
        RowSet<Row> rows = pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely();
        return rows.iterator().next().getLong(0);
    }
}
