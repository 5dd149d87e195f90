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

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

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

    /** A data record with what events carry: text, a null, a time, a number, a nested list. */
    record Sample(String name, String missing, java.time.Instant at, long wh, java.util.List<Integer> connectors) {
    }

    @Test
    void aBatchsEnvelopesAreTheSameJsonAsAnEnvelopeWrittenThroughATree() throws Exception {
        Sample data = new Sample("s-1", null, java.time.Instant.parse("2025-03-01T08:00:00.123Z"), 9_007_199_254_740_993L,
                java.util.List.of(1, 2));
        Object[] parameters = outbox.parameters(java.util.List.of(new Outbox.Pending("s", "probe.sample", "s-1", data),
                new Outbox.Pending("s", "probe.empty", "s-2", null)), "leading");
        assertEquals("leading", parameters[0]);
        String[] payloads = (String[]) parameters[5];
        for (int i = 0; i < 2; i++) {
            EventEnvelope read = mapper.readValue(payloads[i], EventEnvelope.class);
            Object original = i == 0 ? data : null;
            EventEnvelope throughATree = new EventEnvelope(read.id(), read.type(), 1, read.occurredAt(), read.source(),
                    read.subject(), read.correlationId(), original == null ? null : mapper.valueToTree(original));
            assertEquals(mapper.writeValueAsString(throughATree), payloads[i], "byte for byte");
            assertEquals(((UUID[]) parameters[1])[i], read.id(), "the row's event id is the envelope's");
        }
        assertTrue(payloads[0].contains("\"missing\":null"), "a null inside data is kept, as before: " + payloads[0]);
        assertTrue(!payloads[1].contains("\"data\""), "no data, no field: " + payloads[1]);
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
