package kg.evpower.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import kg.evpower.gateway.support.Replica;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;

/**
 * Issue 10, graceful shutdown: a replica (the packaged jar, second process) told to stop with SIGTERM answers the CALL
 * it is processing, closes its station socket with 1001 at once (not after the 30 s shutdown timeout set here), refuses
 * new upgrades 503 and reports not ready during {@code quarkus.shutdown.delay}, records the disconnection, and exits 0.
 * The Quarkus-launched replica is only used to read the station's record afterwards.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(SecurityServiceStub.class)
class GracefulShutdownIT {

    private Replica replica;
    private TestStation station;

    @BeforeEach
    void serviceToken() {
        SecurityServiceStub.useServiceToken();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (station != null) {
            station.socket.abort();
        }
        if (replica != null) {
            replica.stop();
        }
    }

    @Test
    void sigtermClosesStationSocketsWithGoingAwayAndExitsZero() throws Exception {
        replica = Replica.start("stopping-" + UUID.randomUUID().toString().substring(0, 8), "graceful-shutdown.log",
                "quarkus.shutdown.timeout=30s", "quarkus.shutdown.delay=3s");
        replica.awaitReady();
        String id = TestStation.newId("drain");
        station = TestStation.connect(replica.base(), id);
        assertEquals("Accepted", station.boot().getString("status"));
        assertTrue(given().get("/internal/stations/" + id).jsonPath().getBoolean("connected"));

        // A CALL on its way when the signal comes: it is answered before the socket closes.
        String messageId = UUID.randomUUID().toString();
        station.sendText(new JsonArray().add(2).add(messageId).add("StartTransaction").add(new JsonObject()
                .put("connectorId", 1).put("idTag", "DRAIN1").put("meterStart", 0)
                .put("timestamp", "2025-03-01T08:00:00Z")).encode());
        long signalled = System.nanoTime();
        replica.process.destroy(); // SIGTERM

        JsonArray answer = station.awaitAnswer(messageId);
        assertEquals(3, answer.getInteger(0), answer::encode);
        assertNotNull(answer.getJsonObject(2).getLong("transactionId"), answer::encode);
        int code = station.closedWith.get(10, TimeUnit.SECONDS);
        long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertEquals(1001, code, "close code");
        assertTrue(closedAfter < 5_000, "closed " + closedAfter + " ms after SIGTERM (shutdown timeout is 30 s)");

        // Still up during the shutdown delay: not ready, and a station trying again is sent elsewhere.
        assertEquals(503, replica.readiness(), "readiness while stopping");
        SecurityServiceStub.register(id, "secret-" + id, "ACTIVE");
        assertEquals(503, TestStation.refusedWith(replica.base(), "/ocpp/", id,
                TestStation.basic(id, "secret-" + id), "ocpp1.6"));

        assertTrue(replica.process.waitFor(20, TimeUnit.SECONDS), "replica stopped");
        long exitedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        assertEquals(0, replica.process.exitValue(), "exit code (see " + replica.log + ")");
        assertTrue(exitedAfter < 15_000, "exited " + exitedAfter + " ms after SIGTERM");
        String log = Files.readString(replica.log);
        assertTrue(log.contains("1 station socket(s) closed with 1001"), "drain logged");
        assertFalse(log.contains("Timed out waiting for graceful shutdown"), "no shutdown timeout");

        // The close was recorded before the process went: the station is no longer connected anywhere.
        assertFalse(given().get("/internal/stations/" + id).jsonPath().getBoolean("connected"));
        station = null;
    }
}
