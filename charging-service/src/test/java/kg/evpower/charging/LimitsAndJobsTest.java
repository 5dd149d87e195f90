package kg.evpower.charging;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.charging.service.SessionJobs;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;
import kg.evpower.platform.testing.Reactive;

@QuarkusTest
class LimitsAndJobsTest extends ChargingTestBase {

    @Inject
    SessionJobs jobs;

    @Inject
    Vertx vertx;

    private String charging(String st, String client, Map<String, Object> limit, int tx) {
        Map<String, Object> body = new java.util.HashMap<>(limit);
        body.put("station_id", st);
        body.put("connector_id", 1);
        String sessionId = start(client, body).statusCode(200).body("success", equalTo(true)).extract().path("session_id");
        transactionStarted(st, 1, tx, session(sessionId).getString("id_tag"), 10_000);
        eventually("linked", () -> "CHARGING".equals(sessionStatus(sessionId)));
        return sessionId;
    }

    @Test
    void energyLimitStopsAt95Percent() {
        String st = station(null);
        String client = client(100_000);
        String sessionId = charging(st, client, Map.of("energy_kwh", 2), 9101);
        meter(st, 1, 9101, 11_800); // 1.8 kWh = 90 %: keep going
        eventually("metered", () -> session(sessionId).getLong("energy_wh") == 1800);
        assertTrue(PeerStubs.commands(st, "RemoteStopTransaction").isEmpty());
        meter(st, 1, 9101, 11_900); // 1.9 kWh = 95 %
        eventually("limit stop", () -> "STOPPING".equals(sessionStatus(sessionId)));
        assertEquals(1, PeerStubs.commands(st, "RemoteStopTransaction").size());
        assertTrue(session(sessionId).getBoolean("limit_reached"));
        assertEquals("EnergyLimitReached", session(sessionId).getString("stop_reason"));
        meter(st, 1, 9101, 11_950); // further values do not stop again
        eventually("metered", () -> session(sessionId).getLong("energy_wh") == 1950);
        assertEquals(1, PeerStubs.commands(st, "RemoteStopTransaction").size());
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE subject = $1 "
                + "AND event_type = 'charging.session.limit-reached'", sessionId));
    }

    @Test
    void amountLimitStopsAt95PercentOfTheAmount() {
        long plan = plan("amount-limit");
        rule(plan, "per_kwh", 1000); // 10 som/kWh
        String st = station(plan);
        String client = client(100_000);
        String sessionId = charging(st, client, Map.of("amount_som", 20), 9201);
        meter(st, 1, 9201, 11_800); // 18 som = 90 %
        eventually("metered", () -> session(sessionId).getLong("current_cost") == 1800);
        assertEquals("CHARGING", sessionStatus(sessionId));
        meter(st, 1, 9201, 11_900); // 19 som = 95 %
        eventually("limit stop", () -> "STOPPING".equals(sessionStatus(sessionId)));
        assertEquals("AmountLimitReached", session(sessionId).getString("stop_reason"));
    }

    @Test
    void unlimitedSessionStopsBeforeTheHoldIsUsedUp() {
        String st = station(null);
        String client = client(5_000); // 50 som: hold = 50 som
        String sessionId = charging(st, client, Map.of(), 9301);
        assertEquals(5_000L, session(sessionId).getLong("reserved_amount"));
        meter(st, 1, 9301, 13_400); // 3.4 kWh × 13.50 = 45.90 som = 91.8 % of 50
        eventually("hold stop", () -> "STOPPING".equals(sessionStatus(sessionId)));
        assertEquals("ReserveLimitReached", session(sessionId).getString("stop_reason"));
    }

    @Test
    void jobsStopOldSessionsAndCancelNeverStartedOnes() {
        String st = station(null);
        String client = client(100_000);
        String old = charging(st, client, Map.of(), 9401);
        pool.preparedQuery("UPDATE charging_session SET transaction_started_at = now() - interval '13 hours', "
                + "created_at = now() - interval '13 hours' WHERE id = $1::uuid").executeAndAwait(Tuple.of(old));

        String st2 = station(null);
        String client2 = client(100_000);
        String never = start(client2, Map.of("station_id", st2, "connector_id", 1)).statusCode(200)
                .extract().path("session_id");
        pool.preparedQuery("UPDATE charging_session SET created_at = now() - interval '11 minutes' WHERE id = $1::uuid")
                .executeAndAwait(Tuple.of(never));
        String fresh = start(client(100_000), Map.of("station_id", st2, "connector_id", 2)).statusCode(200)
                .extract().path("session_id");

        Reactive.run(vertx, () -> jobs.runAll());

        assertEquals("STOPPING", sessionStatus(old));
        assertEquals("max_duration", session(old).getString("stop_reason"));
        assertEquals(9401, PeerStubs.commands(st, "RemoteStopTransaction").get(0).payload().getInteger("transactionId"));
        assertEquals("FAILED", sessionStatus(never));
        assertEquals("no_transaction", session(never).getString("failure_code"));
        assertEquals("RELEASED", PeerStubs.holdsOf(client2).get(0).getString("status"));
        assertEquals(100_000L, PeerStubs.available(client2));
        assertEquals("STARTING", sessionStatus(fresh));

        // a second run does nothing more; a StopTransaction still settles the old session once
        Reactive.run(vertx, () -> jobs.runAll());
        assertEquals(1, PeerStubs.commands(st, "RemoteStopTransaction").size());
        transactionStopped(st, 1, 9401, session(old).getString("id_tag"), 10_000, 12_000);
        eventually("settled", () -> "STOPPED".equals(sessionStatus(old)));
        assertEquals(1, PeerStubs.capturesOf(old).size());
        assertFalse(PeerStubs.capturesOf(old).get(0).getLong("amount") <= 0);
    }

    @Test
    void unconfirmedStopIsSettledFromTheLastMeterByTheJob() {
        String st = station(null);
        String client = client(100_000);
        String sessionId = charging(st, client, Map.of(), 9501);
        meter(st, 1, 9501, 12_000);
        eventually("metered", () -> session(sessionId).getLong("energy_wh") == 2000);
        stop(client, sessionId).statusCode(200).body("success", equalTo(true));
        pool.preparedQuery("UPDATE charging_session SET stop_requested_at = now() - interval '11 minutes' WHERE id = $1::uuid")
                .executeAndAwait(Tuple.of(sessionId));
        Reactive.run(vertx, () -> jobs.runAll());
        assertEquals("STOPPED", sessionStatus(sessionId));
        assertEquals(2700L, session(sessionId).getLong("final_cost"));
        assertEquals(100_000L - 2700L, PeerStubs.BALANCES.get(client));
    }
}
