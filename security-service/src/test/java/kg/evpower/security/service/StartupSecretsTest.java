package kg.evpower.security.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import kg.evpower.platform.config.SecretPolicy;
import kg.evpower.security.domain.ChargePointStatus;

/** The prod start-up check is the platform's SecretsCheck over evpower.secrets.required: both halves checked here. */
class StartupSecretsTest {

    static List<String> required() throws Exception {
        Properties p = new Properties();
        try (InputStream in = StartupSecretsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return List.of(p.getProperty("evpower.secrets.required").split(","));
    }

    private static Map<String, String> good() {
        Map<String, String> values = new HashMap<>();
        values.put("EV_SECURITY_SECRET", "Zq8v1-security-secret-for-the-unit-test-01");
        values.put("EV_KEY_ENCRYPTION_SECRET", "Zq8v1-key-encryption-secret-for-unit-test-2");
        values.put("EV_ADMIN_KEY", "Zq8v1-admin-key-for-the-unit-test-000000003");
        values.put("EV_SERVICE_SECRET_GATEWAY", "Zq8v1-gateway-secret-for-the-unit-test-004");
        values.put("EV_SERVICE_SECRET_CHARGING", "Zq8v1-charging-secret-for-the-unit-test-05");
        values.put("EV_SERVICE_SECRET_PAYMENT", "Zq8v1-payment-secret-for-the-unit-test-006");
        return values;
    }

    @Test
    void theServiceRequiresItsThreeSecretsAndTheServiceClientSecrets() throws Exception {
        assertEquals(List.of("EV_SECURITY_SECRET", "EV_KEY_ENCRYPTION_SECRET", "EV_ADMIN_KEY", "EV_SERVICE_SECRET_GATEWAY",
                "EV_SERVICE_SECRET_CHARGING", "EV_SERVICE_SECRET_PAYMENT"), required());
        assertEquals(List.of(), SecretPolicy.violations(good()));
    }

    @Test
    void missingShortExampleAndEqualSecretsAreEachNamed() {
        Map<String, String> missing = good();
        missing.put("EV_SECURITY_SECRET", null);
        assertEquals(List.of("EV_SECURITY_SECRET is missing"), SecretPolicy.violations(missing));

        Map<String, String> shortOne = good();
        shortOne.put("EV_KEY_ENCRYPTION_SECRET", "too-short-0123456789");
        assertTrue(SecretPolicy.violations(shortOne).contains("EV_KEY_ENCRYPTION_SECRET is shorter than 32 characters"));

        Map<String, String> example = good();
        example.put("EV_ADMIN_KEY", "changeme-changeme-changeme-changeme");
        assertTrue(SecretPolicy.violations(example).contains("EV_ADMIN_KEY is a known example value"));

        Map<String, String> equal = good();
        equal.put("EV_KEY_ENCRYPTION_SECRET", equal.get("EV_SECURITY_SECRET"));
        assertEquals(1, SecretPolicy.violations(equal).size());
        assertTrue(SecretPolicy.violations(equal).getFirst().contains("has the same value as"));
    }

    @Test
    void statusTransitionTable() {
        assertTrue(ChargePointStatus.ACTIVE.canBecome(ChargePointStatus.OUT_OF_SERVICE));
        assertTrue(ChargePointStatus.ACTIVE.canBecome(ChargePointStatus.REVOKED));
        assertTrue(ChargePointStatus.OUT_OF_SERVICE.canBecome(ChargePointStatus.ACTIVE));
        assertTrue(ChargePointStatus.OUT_OF_SERVICE.canBecome(ChargePointStatus.REVOKED));
        for (ChargePointStatus s : ChargePointStatus.values()) {
            assertEquals(false, ChargePointStatus.REVOKED.canBecome(s));
            assertEquals(false, s.canBecome(s));
        }
    }
}
