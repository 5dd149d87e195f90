package kg.evpower.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SecretPolicyTest {

    private static final String STRONG_A = "q8T2vX9pL4mN7rB1sD6fH3jK5wZ0cE8yUaGi";
    private static final String STRONG_B = "W3nR7tY1uI9oP5aS2dF8gH4jK6lZ0xC7vBnM";

    @Test
    void strongDistinctSecretsPass() {
        assertEquals(List.of(), SecretPolicy.violations(Map.of("EV_A", STRONG_A, "EV_B", STRONG_B)));
    }

    @Test
    void missingSecretIsNamed() {
        Map<String, String> secrets = new HashMap<>();
        secrets.put("EV_ADMIN_KEY", null);
        secrets.put("EV_OTHER", "  ");
        assertEquals(List.of("EV_ADMIN_KEY is missing", "EV_OTHER is missing"), SecretPolicy.violations(secrets));
    }

    @Test
    void shortSecretIsNamedWithoutItsValue() {
        List<String> violations = SecretPolicy.violations(Map.of("EV_ADMIN_KEY", "tooShort-9x"));
        assertEquals(List.of("EV_ADMIN_KEY is shorter than 32 characters"), violations);
        assertFalse(violations.toString().contains("tooShort-9x"));
    }

    @Test
    void knownExampleValuesAreRefused() {
        for (String example : List.of("changeme-changeme-changeme-changeme", "your-secret-key-for-production-use-1234",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "00000000000000000000000000000000")) {
            assertTrue(SecretPolicy.violations(Map.of("EV_SECURITY_SECRET", example))
                    .contains("EV_SECURITY_SECRET is a known example value"), example);
        }
    }

    @Test
    void equalSecretsAreRefused() {
        assertEquals(List.of("EV_B has the same value as EV_A"),
                SecretPolicy.violations(Map.of("EV_A", STRONG_A, "EV_B", STRONG_A)));
    }
}
