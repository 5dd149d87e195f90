package kg.evpower.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;

/**
 * Issue 5, "Proof": two gateway replicas in one run, both the packaged jar. Replica B is the one Quarkus launches for this
 * integration test; replica A is a second {@code java -jar quarkus-run.jar} started here on another free port with its own
 * {@code evpower.instance-id}, the same test database (not cleaned again) and the same Redis and security-service stub.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(SecurityServiceStub.class)
class TwoReplicasIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private Process replicaA;
    private final List<TestStation> stations = new ArrayList<>();

    @BeforeEach
    void serviceToken() {
        SecurityServiceStub.useServiceToken();
    }

    @AfterEach
    void stopEverything() throws Exception {
        stations.forEach(TestStation::close);
        if (replicaA != null && replicaA.isAlive()) {
            replicaA.destroy();
            if (!replicaA.waitFor(20, TimeUnit.SECONDS)) {
                replicaA.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        callers.shutdownNow();
    }

    @Test
    void commandThroughTheOtherReplicaThenFailoverAfterReplicaAStops() throws Exception {
        String instanceA = "replica-a-" + UUID.randomUUID().toString().substring(0, 8);
        int portA = freePort();
        replicaA = startReplica(instanceA, portA);
        URI baseA = URI.create("http://127.0.0.1:" + portA + "/");
        URI baseB = URI.create("http://127.0.0.1:" + RestAssured.port + "/");
        awaitReady(baseA, replicaA);

        String id = TestStation.newId("replicas");
        String tag = "RPL" + id.substring(id.length() - 8);
        given().contentType("application/json").body("{\"status\":\"Accepted\"}").put("/internal/id-tags/" + tag)
                .then().statusCode(200);

        // The station lives on replica A.
        TestStation onA = track(TestStation.connect(baseA, id));
        assertEquals("Accepted", onA.boot().getString("status"));
        long txId = onA.ok("StartTransaction", new JsonObject().put("connectorId", 1).put("idTag", tag)
                .put("meterStart", 100).put("timestamp", "2025-03-01T08:00:00Z")).getLong("transactionId");
        given().get("/internal/stations/" + id).then().statusCode(200);
        assertEquals(instanceA, given().get("/internal/stations/" + id).jsonPath().getString("instanceId"));

        // A command posted to replica B reaches the station through replica A, and the answer comes back to B's caller.
        CompletableFuture<Response> viaB = post(id, "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", "corr-b1");
        JsonArray call;
        try {
            call = onA.expectCall("TriggerMessage");
        } catch (AssertionError e) {
            throw new AssertionError("not delivered through replica A; replica B answered "
                    + (viaB.isDone() ? viaB.get().statusCode() + " " + viaB.get().asString() : "nothing yet"), e);
        }
        onA.reply(call, new JsonObject().put("status", "Accepted"));
        Response answered = viaB.get(20, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.asString());
        assertEquals(call.getString(1), answered.jsonPath().getString("messageId"));
        assertEquals("Accepted", answered.jsonPath().getString("payload.status"));

        // Replica A stops: its socket goes; the station reconnects to B and delivers its queued transaction messages.
        replicaA.destroy();
        assertTrue(replicaA.waitFor(30, TimeUnit.SECONDS), "replica A stopped");
        assertTrue(onA.closedWith.isDone() || waitClosed(onA), "the station saw replica A go");
        TestStation onB = track(TestStation.connect(baseB, "/ws/", id, TestStation.basic(id, "secret-" + id), "ocpp1.6"));
        onB.boot();
        onB.ok("MeterValues", new JsonObject().put("connectorId", 1).put("transactionId", txId)
                .put("meterValue", new JsonArray().add(new JsonObject().put("timestamp", "2025-03-01T08:20:00Z")
                        .put("sampledValue", new JsonArray().add(new JsonObject().put("value", "2100"))))));
        JsonObject stopped = onB.ok("StopTransaction", new JsonObject().put("transactionId", txId).put("meterStop", 3100)
                .put("idTag", tag).put("timestamp", "2025-03-01T08:30:00Z"));
        assertEquals("Accepted", stopped.getJsonObject("idTagInfo").getString("status"));
        var station = given().get("/internal/stations/" + id).jsonPath();
        assertTrue(station.getBoolean("connected"));
        assertTrue(!instanceA.equals(station.getString("instanceId")), "now owned by replica B");

        // A new command follows the station to B.
        CompletableFuture<Response> after = post(id, "Reset", "{\"type\":\"Soft\"}", "corr-b2");
        JsonArray reset = onB.expectCall("Reset");
        onB.reply(reset, new JsonObject().put("status", "Accepted"));
        Response done = after.get(20, TimeUnit.SECONDS);
        assertEquals(200, done.statusCode(), done.asString());
        assertEquals("Accepted", done.jsonPath().getString("payload.status"));

        // Both commands are in the station's record, answered.
        var commands = given().get("/internal/stations/" + id + "/commands").jsonPath();
        assertEquals(List.of("ANSWERED", "ANSWERED"), commands.getList("outcome"));
    }

    private Process startReplica(String instanceId, int port) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "packaged jar at " + jar);
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=test",
                // Test speed only: the default 20 s grace keeps a stopping replica (and its sockets) around.
                "-Dquarkus.shutdown.timeout=3s",
                "-Dquarkus.http.port=" + port,
                "-Devpower.instance-id=" + instanceId,
                // The database is the one replica B already migrated: never clean it again.
                "-D%test.quarkus.flyway.clean-at-start=false",
                "-Devpower.gateway.auth.security-url=" + SecurityServiceStub.url,
                "-Devpower.service-auth.token-url=" + SecurityServiceStub.url + "/auth/service-token",
                "-Devpower.service-auth.client-secret=" + SecurityServiceStub.clientSecret(),
                "-jar", jar.toString());
        Path log = Path.of("target/replica-a.log").toAbsolutePath();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(URI base, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "replica A exited early (see target/replica-a.log)");
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replica A not ready in 90 s (see target/replica-a.log)");
    }

    private static boolean waitClosed(TestStation station) {
        try {
            station.closedWith.get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private TestStation track(TestStation station) {
        stations.add(station);
        return station;
    }

    private CompletableFuture<Response> post(String id, String action, String body, String correlationId) {
        // The service token comes from the request specification set in serviceToken().
        return CompletableFuture.supplyAsync(() -> given()
                .header("X-Correlation-ID", correlationId).contentType("application/json").body(body)
                .post("/internal/stations/" + id + "/commands/" + action), callers);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
