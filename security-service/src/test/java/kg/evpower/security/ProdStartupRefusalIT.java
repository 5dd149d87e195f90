package kg.evpower.security;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Runs the packaged service with the prod profile and bad secrets: it must exit non-zero and its log must name each
 * bad variable (never its value). The datasource points at the test database without migrating it.
 */
class ProdStartupRefusalIT {

    private static final String GOOD_GATEWAY = "Qw3r-gateway-secret-for-the-startup-it-0001";

    private record Run(int exit, String log) {
    }

    private static ProcessBuilder builder(Map<String, String> secrets) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(jar), "package the service first: " + jar.toAbsolutePath());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Dquarkus.profile=prod", "-Dquarkus.http.port=0",
                "-Dquarkus.log.console.json=false", "-jar", jar.toString());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("EV_") || k.startsWith("EVPOWER_") || k.startsWith("QUARKUS_"));
        env.put("EVPOWER_DB_NAME", "evpower_security_test");
        env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        env.put("QUARKUS_HIBERNATE_ORM_SCHEMA_MANAGEMENT_STRATEGY", "none");
        env.put("EVPOWER_LOG_JSON", "false");
        env.putAll(secrets);
        return builder;
    }

    private static Run start(Map<String, String> secrets) throws Exception {
        ProcessBuilder builder = builder(secrets);
        File log = Files.createTempFile("security-prod-start", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 90 s: " + Files.readString(log.toPath()));
        }
        return new Run(process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    }

    /** The test profile's values: valid for the policy, and the ones the test database's signing key is wrapped with. */
    private static Map<String, String> testSecrets() {
        Map<String, String> secrets = new java.util.HashMap<>();
        secrets.put("EV_SECURITY_SECRET", "test-only-security-secret-0123456789abcdef");
        secrets.put("EV_KEY_ENCRYPTION_SECRET", "test-only-key-encryption-secret-012345678");
        secrets.put("EV_ADMIN_KEY", "test-only-admin-key-0123456789abcdefghijk");
        secrets.put("EV_SERVICE_SECRET_GATEWAY", "test-only-gateway-secret-0123456789abcdef");
        secrets.put("EV_SERVICE_SECRET_CHARGING", "test-only-charging-secret-0123456789abcde");
        secrets.put("EV_SERVICE_SECRET_PAYMENT", "test-only-payment-secret-0123456789abcdef");
        return secrets;
    }

    @Test
    void startsWithGoodSecretsAndServesItsKeys() throws Exception {
        ProcessBuilder builder = builder(testSecrets());
        File log = Files.createTempFile("security-prod-good", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            java.util.regex.Matcher port = null;
            while (System.nanoTime() < deadline && process.isAlive()) {
                port = java.util.regex.Pattern.compile("Listening on: http://[^:]+:(\\d+)").matcher(Files.readString(log.toPath()));
                if (port.find()) {
                    break;
                }
                port = null;
                Thread.sleep(200);
            }
            assertTrue(port != null, "the service did not start:\n" + Files.readString(log.toPath()));
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port.group(1) + "/.well-known/jwks.json")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() == 200 && response.body().contains("\"P-256\""), response.body());
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void refusesASecuritySecretThatDoesNotOpenTheStoredSigningKey() throws Exception {
        Map<String, String> secrets = testSecrets();
        secrets.put("EV_SECURITY_SECRET", "Qw3r-another-security-secret-for-this-test-9");
        Run run = start(secrets);
        assertNotEquals(0, run.exit(), run.log());
        assertTrue(run.log().contains("EV_SECURITY_SECRET differs from the one it was stored with"), run.log());
    }

    @Test
    void refusesAnAuditKeepBelowNinetyDays() throws Exception {
        Map<String, String> env = testSecrets();
        env.put("EVPOWER_RETENTION_AUDIT_EVENT_KEEP", "P30D");
        Run run = start(env);
        assertNotEquals(0, run.exit(), run.log());
        assertTrue(run.log().contains("evpower.retention.audit_event.keep=PT720H is below the minimum of PT2160H"
                + " for audit_event"), run.log());
        assertTrue(!run.log().contains("Listening on"), run.log());
    }

    @Test
    void refusesMissingShortExampleAndEqualSecretsNamingEach() throws Exception {
        String shortValue = "short-secret-123";
        String shared = "Qw3r-shared-value-used-twice-in-this-test-01";
        Map<String, String> secrets = new java.util.HashMap<>();
        // EV_SECURITY_SECRET missing altogether.
        secrets.put("EV_KEY_ENCRYPTION_SECRET", shortValue);
        secrets.put("EV_ADMIN_KEY", "changeme-changeme-changeme-changeme");
        secrets.put("EV_SERVICE_SECRET_GATEWAY", GOOD_GATEWAY);
        secrets.put("EV_SERVICE_SECRET_CHARGING", shared);
        secrets.put("EV_SERVICE_SECRET_PAYMENT", shared);
        Run run = start(secrets);
        assertNotEquals(0, run.exit(), run.log());
        List<String> expected = new ArrayList<>(List.of("EV_SECURITY_SECRET is missing",
                "EV_KEY_ENCRYPTION_SECRET is shorter than 32 characters", "EV_ADMIN_KEY is a known example value",
                "has the same value as"));
        for (String line : expected) {
            assertTrue(run.log().contains(line), "log should say '" + line + "':\n" + run.log());
        }
        assertTrue(!run.log().contains(shortValue) && !run.log().contains(shared), "the log must not show secret values");
        assertTrue(!run.log().contains("Listening on"), run.log());
    }
}
