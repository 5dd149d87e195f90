package kg.evpower.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * SIGTERM with an HTTP request in flight: the packaged service (security-service, prod profile) reports not ready for
 * the shutdown delay (so load balancers stop sending it work) while still answering, finishes the request it is
 * working on (an operator registering a charge point, made slow by a costly password hash), and exits. The station-gateway's own shutdown (sockets closed with 1001) is GracefulShutdownIT of its module;
 * stream consumers' drain is StreamConsumerTest in platform.
 */
class GracefulShutdownIT {

    private static final int PORT = 18084;
    private static final String DATABASE_SUFFIX = "_shutdown";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void theReplicaTurnsNotReadyAndTheRequestInFlightIsAnsweredAndCommitted() throws Exception {
        Processes.freshDatabases(DATABASE_SUFFIX);
        String adminKey = secret();
        Path log = Files.createTempFile("evpower-shutdown", ".log");
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-Xmx256m", "-jar",
                Processes.serviceJar("security-service").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("EV_") || k.startsWith("EVPOWER_") || k.startsWith("QUARKUS_"));
        env.put("QUARKUS_PROFILE", "prod");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(PORT));
        env.put("EVPOWER_DB_NAME", "evpower_security" + DATABASE_SUFFIX);
        env.putAll(Map.of("EV_ADMIN_KEY", adminKey, "EV_SECURITY_SECRET", secret(), "EV_KEY_ENCRYPTION_SECRET", secret(),
                "EV_SERVICE_SECRET_GATEWAY", secret(), "EV_SERVICE_SECRET_CHARGING", secret(),
                "EV_SERVICE_SECRET_PAYMENT", secret()));
        // A hash of an operator-chosen key this costly takes seconds: the request is surely in flight at SIGTERM.
        env.put("EVPOWER_SECURITY_PASSWORDS_ITERATIONS", "3000000");
        env.put("QUARKUS_SHUTDOWN_DELAY", "3s");
        Process service = builder.start();
        try {
            assertTrue(Processes.waitFor(Duration.ofMinutes(2), () -> !service.isAlive() || Processes.ready(PORT)),
                    "security-service did not start:\n" + Processes.read(log));
            assertTrue(service.isAlive(), Processes.read(log));

            String cpId = "CP-SHUTDOWN-" + RANDOM.nextInt(1_000_000);
            HttpRequest register = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/admin/charge-points"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .header("X-Admin-Key", adminKey)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"cp_id\":\"" + cpId
                            + "\",\"location\":\"Bishkek\",\"authorization_key\":\"operator-chosen-key-0123\"}"))
                    .build();
            long sent = System.nanoTime();
            CompletableFuture<HttpResponse<String>> inFlight = Processes.HTTP.sendAsync(register,
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(700);
            assertFalse(inFlight.isDone(), "the registration should still be hashing when SIGTERM comes");

            service.destroy(); // SIGTERM
            // during the shutdown delay the replica reports not ready (load balancers stop sending) yet still answers
            boolean notReady = Processes.waitFor(Duration.ofSeconds(2),
                    () -> statusOrRefused("http://127.0.0.1:" + PORT + "/q/health/ready") == 503);
            int lateStatus = statusOrRefused("http://127.0.0.1:" + PORT + "/.well-known/jwks.json");
            HttpResponse<String> answer = inFlight.get(40, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - sent) / 1_000_000;

            assertEquals(201, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains(cpId), answer.body());
            assertTrue(notReady, "readiness reports DOWN once SIGTERM came");
            assertEquals(200, lateStatus, "a request reaching the replica during the delay is still answered");
            assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the service exits after finishing its work");
            assertTrue(tookMillis > 1000, "the request was really in flight across the SIGTERM (" + tookMillis + " ms)");

            try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:5432/evpower_security" + DATABASE_SUFFIX, "postgres", "")) {
                var rows = db.createStatement().executeQuery(
                        "SELECT (SELECT count(*) FROM charge_point WHERE cp_id = '" + cpId + "'), "
                                + "(SELECT count(*) FROM audit_event WHERE cp_id = '" + cpId + "' AND action = 'CP_REGISTER')");
                rows.next();
                assertEquals(1, rows.getInt(1), "the charge point was committed");
                assertEquals(1, rows.getInt(2), "and its audit row");
            }
            String output = Processes.read(log);
            assertFalse(output.contains("operator-chosen-key-0123"), "the key is not logged");
        } finally {
            if (service.isAlive()) {
                service.destroyForcibly();
            }
        }
    }

    private static int statusOrRefused(String url) {
        try {
            return Processes.HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
