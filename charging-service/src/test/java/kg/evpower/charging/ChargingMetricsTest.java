package kg.evpower.charging;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import kg.evpower.charging.metrics.ChargingMetrics;
import kg.evpower.charging.service.SessionJobs;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.platform.testing.Metrics;
import kg.evpower.charging.support.PeerStubs;
import kg.evpower.platform.testing.Reactive;

/** The charging service's meters: present from start-up, and moved by sessions and job runs. */
@QuarkusTest
class ChargingMetricsTest extends ChargingTestBase {

    private static final String SESSIONS = "evpower_charging_sessions_total";
    private static final String JOBS = "evpower_job_runs_total";

    @Inject
    SessionJobs jobs;

    @Inject
    Vertx vertx;

    private static double sessions(String outcome) {
        return Metrics.value(SESSIONS, "outcome=\"" + outcome + "\"");
    }

    @Test
    void everyMeterIsExposedWithItsKnownTagsBeforeAnyEvent() {
        String scrape = Metrics.scrape();
        for (String outcome : ChargingMetrics.SESSION_OUTCOMES) {
            assertTrue(Metrics.find(scrape, SESSIONS, "outcome=\"" + outcome + "\"").isPresent(), outcome);
        }
        assertTrue(Metrics.find(scrape, JOBS, "job=\"hanging_sessions\"", "outcome=\"success\"").isPresent());
        assertTrue(Metrics.find(scrape, JOBS, "job=\"hanging_sessions\"", "outcome=\"failure\"").isPresent());
    }

    @Test
    void aSessionIsCountedWhenItStartsAndWhenItStops() {
        String st = station(null);
        String client = client(100_000);
        double started = sessions("started");
        double stopped = sessions("stopped");
        String sessionId = start(client, Map.of("station_id", st, "connector_id", 1, "amount_som", 100))
                .statusCode(200).body("success", equalTo(true)).extract().path("session_id");
        String idTag = PeerStubs.commands(st, "RemoteStartTransaction").get(0).payload().getString("idTag");
        transactionStarted(st, 1, 9101, idTag, 1000);
        eventually("session linked", () -> "CHARGING".equals(sessionStatus(sessionId)));
        assertTrue(sessions("started") >= started + 1, "started counted");

        stop(client, sessionId).statusCode(200).body("success", equalTo(true));
        transactionStopped(st, 1, 9101, idTag, 1000, 2000);
        eventually("settled", () -> "STOPPED".equals(sessionStatus(sessionId)));
        assertTrue(sessions("stopped") >= stopped + 1, "stopped counted");
    }

    @Test
    void aStartTheStationRejectsIsAFailedSession() {
        String st = station(null);
        String client = client(100_000);
        double failed = sessions("failed");
        PeerStubs.COMMAND_REPLIES.put(st, (action, p) -> PeerStubs.Reply.rejected(action));
        start(client, Map.of("station_id", st, "connector_id", 1)).statusCode(200).body("success", equalTo(false))
                .body("error", equalTo("station_rejected"));
        assertTrue(sessions("failed") >= failed + 1, "failed counted");
    }

    @Test
    void aHangingSessionJobRunIsCounted() {
        double runs = Metrics.value(JOBS, "job=\"hanging_sessions\"", "outcome=\"success\"");
        Reactive.run(vertx, () -> jobs.runAll());
        assertTrue(Metrics.value(JOBS, "job=\"hanging_sessions\"", "outcome=\"success\"") >= runs + 1);
    }
}
