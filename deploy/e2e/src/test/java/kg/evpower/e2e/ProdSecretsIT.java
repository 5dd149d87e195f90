package kg.evpower.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every packaged service refuses to start in the prod profile with a missing or weak secret, and says which; and with a
 * CORS allow-list of every origin.
 */
class ProdSecretsIT {

    @ParameterizedTest
    @CsvSource({
            "security-service, evpower_security_test, EV_ADMIN_KEY",
            "station-gateway, evpower_gateway_test, EVPOWER_SERVICE_SECRET",
            "payment-service, evpower_payment_test, EVPOWER_SERVICE_SECRET",
            "charging-service, evpower_charging_test, EVPOWER_SERVICE_SECRET"})
    void missingSecretStopsTheStart(String service, String database, String secret) throws Exception {
        String output = start(service, database, Map.of());
        assertTrue(output.contains(secret + " is missing"), service + " names the missing " + secret + ":\n" + tail(output));
    }

    @ParameterizedTest
    @CsvSource({"security-service, evpower_security_test"})
    void weakAndEqualSecretsStopTheStart(String service, String database) throws Exception {
        String weak = "short-admin-key";
        String same = "q8T2vX9pL4mN7rB1sD6fH3jK5wZ0cE8yUaGiQ";
        String output = start(service, database, Map.of("EV_ADMIN_KEY", weak, "EV_SECURITY_SECRET", same,
                "EV_KEY_ENCRYPTION_SECRET", same));
        assertTrue(output.contains("EV_ADMIN_KEY is shorter than 32 characters"), tail(output));
        assertTrue(output.contains("EV_SECURITY_SECRET has the same value as EV_KEY_ENCRYPTION_SECRET")
                || output.contains("EV_KEY_ENCRYPTION_SECRET has the same value as EV_SECURITY_SECRET"), tail(output));
        assertFalse(output.contains(weak), "the weak value itself is not logged");
        assertFalse(output.contains(same), "the secret value is not logged");
    }

    @ParameterizedTest
    @CsvSource({"station-gateway, evpower_gateway_test"})
    void aCorsAllowListOfEveryOriginStopsTheStart(String service, String database) throws Exception {
        String output = start(service, database, Map.of("EVPOWER_SERVICE_SECRET", "nB4vQ9zR2tW7yL1kP6sX3mC8hJ5dF0gA",
                "EVPOWER_CORS_ORIGINS", "*"));
        assertTrue(output.contains("Refusing to start: EVPOWER_CORS_ORIGINS allows every origin (*)"), tail(output));
        assertFalse(output.contains("nB4vQ9zR2tW7yL1kP6sX3mC8hJ5dF0gA"), "the secret value is not logged");
    }

    private static String start(String service, String database, Map<String, String> secrets) throws Exception {
        Path out = Files.createTempFile("evpower-prod-start", ".log");
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-Xmx256m", "-jar",
                Processes.serviceJar(service).toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("EV_") || k.startsWith("EVPOWER_") || k.startsWith("ODENGI")
                || k.startsWith("QUARKUS_"));
        env.put("QUARKUS_PROFILE", "prod");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("EVPOWER_DB_NAME", database);
        // The identity provider's non-secret settings, so that the secret check is what stops the start.
        env.put("EVPOWER_IDP_JWKS_URL", "https://idp.example.invalid/.well-known/jwks.json");
        env.put("EVPOWER_IDP_ISSUER", "https://idp.example.invalid");
        env.put("EVPOWER_IDP_AUDIENCE", "evpower-mobile");
        env.putAll(secrets);
        Process process = builder.start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(out);
        assertTrue(exited, service + " should refuse to start, but it kept running:\n" + tail(output));
        assertNotEquals(0, process.exitValue(), tail(output));
        return output;
    }

    private static String tail(String output) {
        return output.substring(Math.max(0, output.length() - 4000));
    }
}
