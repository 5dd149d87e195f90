package kg.evpower.charging;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;

/** A whole session driven from the app API and simulated gateway events, settled through the payment peer. */
@QuarkusTest
class SessionLifecycleTest extends ChargingTestBase {

    @Test
    void startChargeStopSettlesOnceWithSnapshotPrices() {
        long plan = plan("lifecycle");
        rule(plan, "per_kwh", 1200);     // 12.00 som/kWh
        rule(plan, "session_fee", 500);  // 5.00 som
        String st = station(plan);
        String client = client(100_000); // 1000 som

        String sessionId = start(client, Map.of("station_id", st, "connector_id", 1, "amount_som", 300))
                .statusCode(200)
                .body("success", equalTo(true))
                .body("station_id", equalTo(st))
                .body("connector_id", equalTo(1))
                .body("reserved_amount", equalTo(300.00f))
                .body("pricing.rate_per_kwh", equalTo(12.00f))
                .body("pricing.session_fee", equalTo(5.00f))
                .body("new_balance", equalTo(700.00f))
                .extract().path("session_id");

        JsonObject hold = PeerStubs.holdsOf(client).get(0);
        assertEquals(30_000L, hold.getLong("amount"));
        assertEquals(sessionId, hold.getString("sessionId"));
        var remoteStart = PeerStubs.commands(st, "RemoteStartTransaction");
        assertEquals(1, remoteStart.size());
        String idTag = remoteStart.get(0).payload().getString("idTag");
        assertEquals(1, remoteStart.get(0).payload().getInteger("connectorId"));
        assertEquals("Accepted", PeerStubs.ID_TAGS.get(idTag).getString("status"));
        assertEquals(client, PeerStubs.ID_TAGS.get(idTag).getString("clientId"));

        // editing tariffs later does not change the snapshot
        pool.preparedQuery("UPDATE tariff_rule SET price = 99999 WHERE tariff_plan_id = $1")
                .executeAndAwait(io.vertx.mutiny.sqlclient.Tuple.of(plan));

        transactionStarted(st, 1, 7001, idTag, 1000);
        eventually("session linked", () -> "CHARGING".equals(sessionStatus(sessionId)));
        meter(st, 1, 7001, 6000);
        eventually("5 kWh metered", () -> session(sessionId).getLong("energy_wh") == 5000);
        status(client, sessionId).statusCode(200)
                .body("success", equalTo(true))
                .body("session.status", equalTo("started"))
                .body("session.energy_consumed", equalTo(5.000f))
                .body("session.ocpp_transaction_id", equalTo(7001));

        stop(client, sessionId).statusCode(200).body("success", equalTo(true)).body("settled", equalTo(false));
        var remoteStop = PeerStubs.commands(st, "RemoteStopTransaction");
        assertEquals(1, remoteStop.size());
        assertEquals(7001, remoteStop.get(0).payload().getInteger("transactionId"));
        assertEquals("STOPPING", sessionStatus(sessionId));

        transactionStopped(st, 1, 7001, idTag, 1000, 6000);
        eventually("settled", () -> "STOPPED".equals(sessionStatus(sessionId)));
        // cost = 5 kWh × 12.00 + 5.00 fee = 65.00 som, per-minute fee 0
        assertEquals(6500L, session(sessionId).getLong("final_cost"));
        assertEquals(1, PeerStubs.capturesOf(sessionId).size());
        assertEquals(6500L, PeerStubs.capturesOf(sessionId).get(0).getLong("amount"));
        assertEquals(100_000L - 6500L, PeerStubs.BALANCES.get(client));
        assertEquals(100_000L - 6500L, PeerStubs.available(client));

        // the station repeats its StopTransaction (new event id) and the client stops again: still one capture
        transactionStopped(st, 1, 7001, idTag, 1000, 6000);
        stop(client, sessionId).statusCode(200).body("success", equalTo(true)).body("settled", equalTo(true))
                .body("actual_cost", equalTo(65.00f)).body("refund_amount", equalTo(235.00f));
        status(client, sessionId).statusCode(200).body("session.status", equalTo("stopped"))
                .body("session.final_cost", equalTo(65.00f));
        sleep(1500);
        assertEquals(1, PeerStubs.capturesOf(sessionId).size());
        assertEquals(1, PeerStubs.commands(st, "RemoteStopTransaction").size());
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'charging.session.stopped'",
                sessionId));
        assertTrue(count("SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'charging.session.started'",
                sessionId) == 1);
    }

    @Test
    void startTransactionArrivingBeforeTheRemoteStartAnswerIsLinked() {
        String st = station(null);
        String client = client(50_000);
        // the station sends StartTransaction before answering RemoteStart: simulate by emitting it from the peer
        PeerStubs.COMMAND_REPLIES.put(st, (action, payload) -> {
            if ("RemoteStartTransaction".equals(action)) {
                transactionStarted(st, payload.getInteger("connectorId"), 8101, payload.getString("idTag"), 0);
                sleep(1500);
            }
            return PeerStubs.Reply.accepted(action);
        });
        String sessionId = start(client, Map.of("station_id", st, "connector_id", 2))
                .statusCode(200).body("success", equalTo(true)).extract().path("session_id");
        eventually("linked", () -> "CHARGING".equals(sessionStatus(sessionId)));
        assertEquals(2, session(sessionId).getInteger("connector_id"));
        assertEquals(8101, session(sessionId).getInteger("transaction_id"));
    }

    @Test
    void stopRacingTheStationsOwnStopSettlesOnce() {
        String st = station(null);
        String client = client(50_000);
        String sessionId = start(client, Map.of("station_id", st, "connector_id", 1, "energy_kwh", 10))
                .statusCode(200).body("success", equalTo(true)).extract().path("session_id");
        String idTag = session(sessionId).getString("id_tag");
        transactionStarted(st, 1, 8201, idTag, 0);
        eventually("linked", () -> "CHARGING".equals(sessionStatus(sessionId)));
        // the driver stops at the station; the StopTransaction races the app's stop
        transactionStopped(st, 1, 8201, idTag, 0, 2000);
        stop(client, sessionId).statusCode(200).body("success", equalTo(true));
        eventually("settled", () -> "STOPPED".equals(sessionStatus(sessionId)));
        sleep(1000);
        assertEquals(1, PeerStubs.capturesOf(sessionId).size());
        // default rate 13.50 × 2 kWh = 27.00
        assertEquals(2700L, session(sessionId).getLong("final_cost"));
    }

    @Test
    void stationOfflineAtStopIsSettledFromTheLastMeterAndALateStopTransactionIsIgnored() {
        String st = station(null);
        String client = client(50_000);
        String sessionId = start(client, Map.of("station_id", st, "connector_id", 1))
                .statusCode(200).body("success", equalTo(true)).body("limit_type", equalTo("none"))
                .extract().path("session_id");
        String idTag = session(sessionId).getString("id_tag");
        transactionStarted(st, 1, 8301, idTag, 100);
        eventually("linked", () -> "CHARGING".equals(sessionStatus(sessionId)));
        meter(st, 1, 8301, 1100);
        eventually("metered", () -> session(sessionId).getLong("energy_wh") == 1000);
        PeerStubs.station(st, false, Map.of(1, "Charging", 2, "Available"));
        stop(client, sessionId).statusCode(200).body("success", equalTo(true)).body("settled", equalTo(true))
                .body("station_online", equalTo(false)).body("actual_cost", equalTo(13.50f));
        assertEquals(1350L, PeerStubs.capturesOf(sessionId).get(0).getLong("amount"));
        // the station comes back with a StopTransaction showing more energy: no second settlement
        transactionStopped(st, 1, 8301, idTag, 100, 3100);
        sleep(1500);
        assertEquals(1, PeerStubs.capturesOf(sessionId).size());
        assertEquals(1350L, session(sessionId).getLong("final_cost"));
        status(client, sessionId).statusCode(200).body("session.stop_time", org.hamcrest.Matchers.notNullValue())
                .body("session.failure_reason", nullValue());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
