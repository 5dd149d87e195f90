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

    private static Run start(Map<String, String> secrets) throws Exception {
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
        File log = Files.createTempFile("security-prod-start", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 90 s: " + Files.readString(log.toPath()));
        }
        return new Run(process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
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
