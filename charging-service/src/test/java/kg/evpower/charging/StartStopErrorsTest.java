package kg.evpower.charging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;
import kg.evpower.charging.support.Tokens;

/** Every refusal of start and stop (A3.1): the code, and that nothing was created, held or sent. */
@QuarkusTest
class StartStopErrorsTest extends ChargingTestBase {

    private static Map<String, Object> body(String station, int connector) {
        Map<String, Object> m = new HashMap<>();
        m.put("station_id", station);
        m.put("connector_id", connector);
        return m;
    }

    private void refused(String client, Map<String, Object> body, String code) {
        start(client, body).statusCode(200).body("success", equalTo(false)).body("error", equalTo(code));
    }

    private long sessionsOf(String client) {
        return count("SELECT count(*) FROM charging_session WHERE client_id = $1", client);
    }

    @Test
    void tokensMustBeValidAsymmetricAndCarrySub() {
        given().contentType(ContentType.JSON).body(body("ST-1", 1)).post("/api/v1/charging/start")
                .then().statusCode(401).body("success", equalTo(false)).body("error", equalTo("unauthorized"));
        given().auth().oauth2(Tokens.wrongIssuer("c1")).contentType(ContentType.JSON).body(body("ST-1", 1))
                .post("/api/v1/charging/start").then().statusCode(401).body("error", equalTo("unauthorized"));
        given().auth().oauth2(Tokens.hs256("c1")).contentType(ContentType.JSON).body(body("ST-1", 1))
                .post("/api/v1/charging/start").then().statusCode(401).body("error", equalTo("unauthorized"));
        given().get("/api/v1/charging/status/00000000-0000-0000-0000-000000000000").then().statusCode(401);
        assertEquals(0, count("SELECT count(*) FROM client WHERE id = 'c1'"));
    }

    @Test
    void invalidParametersAre422AndCreateNothing() {
        String st = station(null);
        String client = client(100_000);
        for (Map<String, Object> bad : new Map[] {
                body("st-lowercase", 1), body(st, 0), body(st, 11), Map.of("connector_id", 1),
                withField(body(st, 1), "energy_kwh", 0), withField(body(st, 1), "energy_kwh", 201),
                withField(body(st, 1), "amount_som", -5), withField(body(st, 1), "amount_som", 100001),
                withField(body(st, 1), "amount_som", 10.123), withField(body(st, 1), "connector_id", "one")}) {
            start(client, bad).statusCode(422).body("success", equalTo(false))
                    .body("error", equalTo("invalid_parameters"));
        }
        assertEquals(0, sessionsOf(client));
        assertTrue(PeerStubs.holdsOf(client).isEmpty());
    }

    private static Map<String, Object> withField(Map<String, Object> m, String k, Object v) {
        m.put(k, v);
        return m;
    }

    @Test
    void clientStatusBlocksStart() {
        String st = station(null);
        String blocked = client(100_000);
        String leaving = client(100_000);
        start(blocked, body("NOPE", 1)); // creates the client record on first use
        start(leaving, body("NOPE", 1));
        pool.preparedQuery("UPDATE client SET status = 'blocked' WHERE id = $1").executeAndAwait(Tuple.of(blocked));
        pool.preparedQuery("UPDATE client SET status = 'pending_deletion' WHERE id = $1").executeAndAwait(Tuple.of(leaving));
        refused(blocked, body(st, 1), "account_blocked");
        refused(leaving, body(st, 1), "account_deletion_pending");
        assertEquals(0, sessionsOf(blocked) + sessionsOf(leaving));
        assertTrue(PeerStubs.commands(st, "RemoteStartTransaction").isEmpty());
    }

    @Test
    void stationAndConnectorChecks() {
        String client = client(100_000);
        refused(client, body("NO-SUCH-STATION", 1), "station_not_found");

        String never = station(null);
        PeerStubs.STATIONS.remove(never);
        refused(client, body(never, 1), "station_never_connected");

        String offline = station(null);
        PeerStubs.station(offline, false, Map.of(1, "Available"));
        start(client, body(offline, 1)).statusCode(200).body("error", equalTo("station_offline"))
                .body("message", org.hamcrest.Matchers.containsString("min"));

        String st = station(null);
        refused(client, body(st, 5), "connector_not_found");
        PeerStubs.station(st, true, Map.of(1, "Charging", 2, "Faulted"));
        refused(client, body(st, 1), "connector_occupied");
        refused(client, body(st, 2), "connector_unavailable");

        String maintenance = station(null);
        pool.preparedQuery("UPDATE station SET status = 'maintenance' WHERE id = $1").executeAndAwait(Tuple.of(maintenance));
        refused(client, body(maintenance, 1), "station_offline");

        assertEquals(0, sessionsOf(client));
        assertTrue(PeerStubs.holdsOf(client).isEmpty());
    }

    @Test
    void oneOpenSessionPerClientAndPerConnector() {
        String st = station(null);
        String first = client(100_000);
        String second = client(100_000);
        start(first, body(st, 1)).statusCode(200).body("success", equalTo(true));
        start(first, body(st, 2)).statusCode(200).body("error", equalTo("session_already_active"));
        // the gateway still reports the connector Available (the station has not started yet): our session blocks it
        start(second, body(st, 1)).statusCode(200).body("error", equalTo("connector_occupied"));
        assertEquals(1, sessionsOf(first));
        assertEquals(0, sessionsOf(second));
        assertEquals(1, PeerStubs.holdsOf(first).size());
    }

    @Test
    void balanceChecks() {
        String st = station(null);
        String empty = client(0);
        refused(empty, body(st, 1), "zero_balance");
        String poor = client(500); // 5 som < minimum unlimited reserve of 10 som
        start(poor, body(st, 1)).statusCode(200).body("error", equalTo("insufficient_balance"))
                .body("current_balance", equalTo(5.00f)).body("required_amount", equalTo(10.00f));
        String some = client(10_000);
        start(some, withField(body(st, 1), "amount_som", 150)).statusCode(200)
                .body("error", equalTo("amount_exceeds_balance")).body("current_balance", equalTo(100.00f))
                .body("requested_amount", equalTo(150.00f));
        // 10 kWh at 13.50 = 135 som > 100 som
        start(some, withField(body(st, 1), "energy_kwh", 10)).statusCode(200)
                .body("error", equalTo("insufficient_balance")).body("required_amount", equalTo(135.00f));
        assertEquals(0, sessionsOf(empty) + sessionsOf(poor) + sessionsOf(some));
        assertTrue(PeerStubs.commands(st, "RemoteStartTransaction").isEmpty());
    }

    @Test
    void rejectedOrOfflineStartReleasesTheHold() {
        String st = station(null);
        String client = client(100_000);
        PeerStubs.COMMAND_REPLIES.put(st, (action, p) -> PeerStubs.Reply.rejected(action));
        String err = start(client, body(st, 1)).statusCode(200).body("success", equalTo(false))
                .extract().path("error");
        assertEquals("station_rejected", err);
        assertEquals("RELEASED", PeerStubs.holdsOf(client).get(0).getString("status"));
        assertEquals(100_000L, PeerStubs.available(client));
        assertEquals(1, count("SELECT count(*) FROM charging_session WHERE client_id = $1 AND status = 'FAILED' "
                + "AND failure_code = 'station_rejected'", client));

        PeerStubs.COMMAND_REPLIES.put(st, (action, p) -> PeerStubs.Reply.problem(409, "STATION_OFFLINE"));
        refused(client, body(st, 1), "station_offline");
        PeerStubs.COMMAND_REPLIES.put(st, (action, p) -> PeerStubs.Reply.problem(504, "STATION_TIMEOUT"));
        refused(client, body(st, 1), "station_timeout");
        assertTrue(PeerStubs.holdsOf(client).stream().allMatch(h -> "RELEASED".equals(h.getString("status"))));
        assertEquals(3, PeerStubs.holdsOf(client).size());
        assertEquals(100_000L, PeerStubs.available(client));
        assertEquals(1, count("SELECT count(*) FROM outbox_event e JOIN charging_session s ON e.subject = s.id::text "
                + "WHERE s.client_id = $1 AND e.event_type = 'charging.session.failed' AND s.failure_code = 'station_offline'",
                client));
    }

    @Test
    void paymentDownIsA503ThatCanBeRetried() {
        String st = station(null);
        String client = client(100_000);
        PeerStubs.paymentDown = true;
        try {
            given().auth().oauth2(Tokens.client(client)).header("Idempotency-Key", "pay-down").contentType(ContentType.JSON)
                    .body(body(st, 1)).post("/api/v1/charging/start")
                    .then().statusCode(503).body("error", equalTo("balance_error"));
        } finally {
            PeerStubs.paymentDown = false;
        }
        // not stored: the same key works once payment is back
        given().auth().oauth2(Tokens.client(client)).header("Idempotency-Key", "pay-down").contentType(ContentType.JSON)
                .body(body(st, 1)).post("/api/v1/charging/start")
                .then().statusCode(200).body("success", equalTo(true));
    }

    @Test
    void stopAndStatusAreForTheOwnerOnly() {
        String st = station(null);
        String owner = client(100_000);
        String other = client(100_000);
        String sessionId = start(owner, body(st, 1)).statusCode(200).extract().path("session_id");
        start(other, body("NOPE", 1)); // the other client exists too
        stop(other, sessionId).statusCode(200).body("success", equalTo(false)).body("error", equalTo("access_denied"));
        status(other, sessionId).statusCode(403).body("detail.error", equalTo("access_denied"));
        stop(owner, "00000000-0000-0000-0000-000000000000").statusCode(200).body("error", equalTo("session_not_found"));
        stop(owner, "not-a-uuid").statusCode(200).body("error", equalTo("session_not_found"));
        stop(owner, "bad id!").statusCode(422).body("error", equalTo("invalid_parameters"));
        status(owner, "00000000-0000-0000-0000-000000000000").statusCode(404)
                .body("detail.error", equalTo("session_not_found"));
        assertEquals("STARTING", sessionStatus(sessionId));
        assertTrue(PeerStubs.commands(st, "RemoteStopTransaction").isEmpty());
        // the owner cancels before the station started: hold released, nothing billed
        stop(owner, sessionId).statusCode(200).body("success", equalTo(true)).body("actual_cost", equalTo(0.00f));
        assertEquals("STOPPED", sessionStatus(sessionId));
        assertEquals(100_000L, PeerStubs.available(owner));
        assertTrue(PeerStubs.capturesOf(sessionId).isEmpty());
    }

    @Test
    void idempotencyKeysReplayRefuseOtherBodiesAndArePerClient() {
        String st = station(null);
        String client = client(100_000);
        String key = "key-" + st;
        String first = given().auth().oauth2(Tokens.client(client)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body(st, 1)).post("/api/v1/charging/start")
                .then().statusCode(200).body("success", equalTo(true)).extract().asString();
        String replay = given().auth().oauth2(Tokens.client(client)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body(st, 1)).post("/api/v1/charging/start")
                .then().statusCode(200).header("Idempotency-Replayed", "true").extract().asString();
        assertEquals(mapper.valueToTree(parse(first)), mapper.valueToTree(parse(replay)));
        assertEquals(1, sessionsOf(client));
        assertEquals(1, PeerStubs.commands(st, "RemoteStartTransaction").size());

        given().auth().oauth2(Tokens.client(client)).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body(st, 2)).post("/api/v1/charging/start")
                .then().statusCode(409).body("success", equalTo(false)).body("error", equalTo("invalid_request"));
        assertEquals(1, sessionsOf(client));

        // another client may use the same key value: its own scope
        String other = client(100_000);
        given().auth().oauth2(Tokens.client(other)).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body(st, 2)).post("/api/v1/charging/start")
                .then().statusCode(200).body("success", equalTo(true));
        assertEquals(1, sessionsOf(other));

        // a refusal is stored and replayed too
        String k2 = "key2-" + st;
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(Tokens.client(client)).header("Idempotency-Key", k2).contentType(ContentType.JSON)
                    .body(body(st, 2)).post("/api/v1/charging/start")
                    .then().statusCode(200).body("error", equalTo("session_already_active"));
        }
        assertEquals(1, count("SELECT count(*) FROM idempotency_key WHERE client_id = $1 AND idem_key = $2", client, k2));
    }

    private Object parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void historyListShowsOnlyOwnSessions() {
        String st = station(null);
        String client = client(100_000);
        String sessionId = start(client, body(st, 1)).statusCode(200).extract().path("session_id");
        given().auth().oauth2(Tokens.client(client)).get("/api/v1/history/charging").then().statusCode(200)
                .body("success", equalTo(true)).body("data.id", hasItem(sessionId)).body("total", equalTo(1));
        given().auth().oauth2(Tokens.client(client(0))).get("/api/v1/history/charging").then().statusCode(200)
                .body("total", equalTo(0));
    }
}
