package kg.evpower.charging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;
import kg.evpower.charging.support.Tokens;
import kg.evpower.platform.event.EventEnvelope;

/** Sessions started at the station with a client's RFID tag, the tag registry, and payment-service's hold events. */
@QuarkusTest
class RfidAndPaymentEventsTest extends ChargingTestBase {

    @ConfigProperty(name = "evpower.charging.streams.payment")
    String paymentStream;

    RequestSpecification admin() {
        return given().auth().oauth2(Tokens.admin("ops-1")).contentType(ContentType.JSON);
    }

    String tag() {
        return "RF" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    String assignedTag(String clientId) {
        String tag = tag();
        admin().body(Map.of("client_id", clientId)).put("/api/v1/admin/id-tags/" + tag).then().statusCode(200)
                .body("success", equalTo(true)).body("id_tag", equalTo(tag)).body("client_id", equalTo(clientId));
        return tag;
    }

    long tagRows(String tag) {
        return count("SELECT count(*) FROM client_id_tag WHERE id_tag = $1", tag);
    }

    Row rfidSession(String station, int tx) {
        var rows = pool.preparedQuery("SELECT * FROM charging_session WHERE station_id = $1 AND transaction_id = $2")
                .executeAndAwait(Tuple.of(station, tx));
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    void paymentEvent(UUID id, String type, Map<String, Object> data) {
        try {
            EventEnvelope envelope = new EventEnvelope(id, type, 1, Instant.now(), "payment-service",
                    String.valueOf(data.get("clientId")), "test-" + id, mapper.valueToTree(data));
            redis.stream(String.class).xadd(paymentStream,
                    Map.of(EventEnvelope.FIELD, mapper.writeValueAsString(envelope)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void assigningATagRegistersItWithTheGatewayAndStoresIt() {
        String clientId = client(0);
        String tag = assignedTag(clientId);
        JsonObject atGateway = PeerStubs.ID_TAGS.get(tag);
        assertEquals("Accepted", atGateway.getString("status"));
        assertEquals(clientId, atGateway.getString("clientId"));
        assertEquals(1, tagRows(tag));
        // assigning it again to the same client is idempotent
        admin().body(Map.of("client_id", clientId)).put("/api/v1/admin/id-tags/" + tag).then().statusCode(200);
        assertEquals(1, tagRows(tag));
    }

    @Test
    void badAssignmentsAreRefusedAndChangeNothing() {
        String owner = client(0);
        String tag = assignedTag(owner);
        String other = client(0);
        admin().body(Map.of("client_id", other)).put("/api/v1/admin/id-tags/" + tag).then().statusCode(409)
                .body("success", equalTo(false)).body("error", equalTo("id_tag_taken"));
        assertEquals(owner, pool.preparedQuery("SELECT client_id FROM client_id_tag WHERE id_tag = $1")
                .executeAndAwait(Tuple.of(tag)).iterator().next().getString(0));
        assertEquals(owner, PeerStubs.ID_TAGS.get(tag).getString("clientId"));

        String fresh = tag();
        admin().body(Map.of()).put("/api/v1/admin/id-tags/" + fresh).then().statusCode(422)
                .body("error", equalTo("invalid_parameters"));
        admin().body(Map.of("client_id", owner)).put("/api/v1/admin/id-tags/ABCDEFGHIJKLMNOPQRSTU").then()
                .statusCode(422).body("error", equalTo("invalid_parameters")); // 21 characters
        admin().body(Map.of("client_id", owner)).put("/api/v1/admin/id-tags/EV0123456789ABCDEF01").then()
                .statusCode(422).body("message", equalTo("id tag: EV + 18 hex digits is reserved for app sessions"));
        given().auth().oauth2(Tokens.client(owner)).contentType(ContentType.JSON).body(Map.of("client_id", owner))
                .put("/api/v1/admin/id-tags/" + fresh).then().statusCode(403);
        PeerStubs.idTagsDown = true;
        try {
            admin().body(Map.of("client_id", owner)).put("/api/v1/admin/id-tags/" + fresh).then().statusCode(503)
                    .body("error", equalTo("station_unavailable"));
        } finally {
            PeerStubs.idTagsDown = false;
        }
        assertEquals(0, tagRows(fresh));
        assertNull(PeerStubs.ID_TAGS.get(fresh));
        assertNull(PeerStubs.ID_TAGS.get("EV0123456789ABCDEF01"));
    }

    @Test
    void aTransactionStartedWithAClientsTagBecomesASessionHeldAndSettled() {
        long plan = plan("rfid");
        rule(plan, "per_kwh", 1000); // 10.00 som/kWh
        String st = station(plan);
        String clientId = client(50_000);
        String tag = assignedTag(clientId);

        transactionStarted(st, 2, 9301, tag, 100);
        eventually("rfid session", () -> rfidSession(st, 9301) != null);
        transactionStarted(st, 2, 9301, tag, 100); // the same StartTransaction redelivered with a new event id
        Row s = rfidSession(st, 9301);
        String sessionId = s.getUUID("id").toString();
        assertEquals("CHARGING", s.getString("status"));
        assertEquals("rfid", s.getString("origin"));
        assertEquals(clientId, s.getString("client_id"));
        assertEquals(2, s.getInteger("connector_id"));
        assertEquals(20_000L, s.getLong("reserved_amount")); // unlimited reserve, 200 som
        var holds = PeerStubs.holdsOf(clientId);
        assertEquals(1, holds.size());
        assertEquals(sessionId, holds.get(0).getString("sessionId"));
        assertEquals(20_000L, holds.get(0).getLong("amount"));
        status(clientId, sessionId).statusCode(200).body("session.origin", equalTo("rfid"));

        meter(st, 2, 9301, 2100);
        eventually("metered", () -> session(sessionId).getLong("energy_wh") == 2000);
        transactionStopped(st, 2, 9301, tag, 100, 3100);
        eventually("settled", () -> "STOPPED".equals(sessionStatus(sessionId)));
        assertEquals(3000L, session(sessionId).getLong("final_cost")); // 3 kWh × 10.00
        assertEquals(1, PeerStubs.capturesOf(sessionId).size());
        assertEquals(50_000L - 3000L, PeerStubs.BALANCES.get(clientId));
        assertEquals(1, count("SELECT count(*) FROM charging_session WHERE station_id = $1", st));

        // the same card starts again later: a second session of the same client and tag
        transactionStarted(st, 2, 9302, tag, 3100);
        eventually("second rfid session", () -> rfidSession(st, 9302) != null);
        assertEquals(2, PeerStubs.holdsOf(clientId).size());
    }

    @Test
    void unknownTagsGetNoSessionAndClientsWhoMayNotChargeAreStopped() {
        String st = station(null);
        transactionStarted(st, 1, 9401, "UNKNOWN-" + st.substring(3), 0);
        String blocked = client(50_000);
        String blockedTag = assignedTag(blocked);
        admin().body(Map.of("status", "blocked")).put("/api/v1/admin/clients/" + blocked + "/status").then()
                .statusCode(200);
        transactionStarted(st, 2, 9402, blockedTag, 0);
        eventually("blocked client's transaction stopped", () -> PeerStubs.commands(st, "RemoteStopTransaction")
                .stream().anyMatch(c -> c.payload().getInteger("transactionId") == 9402));
        String poor = client(500); // below the 10 som minimum hold
        String poorTag = assignedTag(poor);
        String st2 = station(null);
        transactionStarted(st2, 1, 9403, poorTag, 0);
        eventually("poor client's transaction stopped", () -> PeerStubs.commands(st2, "RemoteStopTransaction")
                .stream().anyMatch(c -> c.payload().getInteger("transactionId") == 9403));
        assertEquals(0, count("SELECT count(*) FROM charging_session WHERE station_id IN ($1, $2)", st, st2));
        assertTrue(PeerStubs.commands(st, "RemoteStopTransaction").stream()
                .noneMatch(c -> c.payload().getInteger("transactionId") == 9401)); // unknown tag: only logged
        assertTrue(PeerStubs.holdsOf(blocked).isEmpty());
        assertTrue(PeerStubs.holdsOf(poor).isEmpty());
    }

    @Test
    void holdEventsAreRecordedOnTheSessionOnceAndACaptureIsFinal() {
        String st = station(null);
        String clientId = client(50_000);
        String tag = assignedTag(clientId);
        transactionStarted(st, 1, 9501, tag, 0);
        eventually("rfid session", () -> rfidSession(st, 9501) != null);
        Row s = rfidSession(st, 9501);
        String sessionId = s.getUUID("id").toString();
        String holdId = s.getString("hold_id");
        assertNull(s.getString("payment_status"));

        paymentEvent(UUID.randomUUID(), "payment.hold.placed", Map.of("holdId", holdId, "clientId", clientId,
                "sessionId", sessionId, "amount", 20_000));
        eventually("held", () -> "HELD".equals(session(sessionId).getString("payment_status")));

        UUID captured = UUID.randomUUID();
        paymentEvent(captured, "payment.hold.captured", Map.of("holdId", holdId, "clientId", clientId,
                "sessionId", sessionId, "captured", 1200, "released", 18_800, "receivable", 0));
        eventually("captured", () -> "CAPTURED".equals(session(sessionId).getString("payment_status")));
        assertEquals(1200L, session(sessionId).getLong("payment_captured"));
        assertEquals(0L, session(sessionId).getLong("payment_receivable"));

        // a late release of the same hold, a redelivered capture with other numbers, another hold's event,
        // an unknown session: none changes the recorded capture
        paymentEvent(UUID.randomUUID(), "payment.hold.released", Map.of("holdId", holdId, "clientId", clientId,
                "sessionId", sessionId, "released", 18_800));
        paymentEvent(captured, "payment.hold.captured", Map.of("holdId", holdId, "clientId", clientId,
                "sessionId", sessionId, "captured", 9999, "released", 0, "receivable", 5));
        UUID foreign = UUID.randomUUID();
        paymentEvent(foreign, "payment.hold.captured", Map.of("holdId", "another-hold", "clientId", clientId,
                "sessionId", sessionId, "captured", 7777, "released", 0, "receivable", 0));
        UUID unknown = UUID.randomUUID();
        paymentEvent(unknown, "payment.hold.captured", Map.of("holdId", holdId, "clientId", clientId,
                "sessionId", UUID.randomUUID().toString(), "captured", 1, "released", 0, "receivable", 0));
        eventually("all handled", () -> count("SELECT count(*) FROM processed_event WHERE event_id IN ($1, $2)",
                foreign, unknown) == 2);
        eventually("release handled", () -> count("SELECT count(*) FROM processed_event WHERE stream = $1"
                + " AND event_type = 'payment.hold.released' AND event_id IN (SELECT event_id FROM processed_event)",
                paymentStream) >= 1);
        Row after = session(sessionId);
        assertEquals("CAPTURED", after.getString("payment_status"));
        assertEquals(1200L, after.getLong("payment_captured"));
        assertEquals(0L, after.getLong("payment_receivable"));
        assertEquals(1, count("SELECT count(*) FROM processed_event WHERE event_id = $1", captured));
        status(clientId, sessionId).statusCode(200).body("session.payment_status", equalTo("captured"));
    }
}
