package kg.evpower.platform.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a production secret must be: present, at least {@value #MIN_LENGTH} characters, not a value known from examples,
 * and different from every other secret of the service. Messages name the variable, never its value.
 */
public final class SecretPolicy {

    public static final int MIN_LENGTH = 32;

    /** Values (lower-cased) seen in examples, docs and the seed systems' sample files. */
    private static final Set<String> KNOWN_EXAMPLES = Set.of(
            "changeme", "change-me", "change_me", "secret", "password", "admin", "test", "example",
            "your-secret-key", "your_secret_key", "your-secret-key-here", "supersecret", "super-secret-key",
            "dev-secret", "development", "default", "ev-central-secret-key", "ev-admin-key",
            "change-this-in-production", "changeme-changeme-changeme-changeme",
            "0123456789abcdef0123456789abcdef", "00000000000000000000000000000000",
            "12345678901234567890123456789012", "abcdefghijklmnopqrstuvwxyz012345");

    private SecretPolicy() {
    }

    /** The violations of the policy by {@code secrets} (name → value, value may be null), empty when all is well. */
    public static List<String> violations(Map<String, String> secrets) {
        List<String> problems = new ArrayList<>();
        Map<String, String> byValue = new TreeMap<>();
        new TreeMap<>(secrets).forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                problems.add(name + " is missing");
                return;
            }
            if (value.length() < MIN_LENGTH) {
                problems.add(name + " is shorter than " + MIN_LENGTH + " characters");
            }
            if (isKnownExample(value)) {
                problems.add(name + " is a known example value");
            }
            String other = byValue.putIfAbsent(value, name);
            if (other != null) {
                problems.add(name + " has the same value as " + other);
            }
        });
        return problems;
    }

    static boolean isKnownExample(String value) {
        String lower = value.toLowerCase(Locale.ROOT).trim();
        if (KNOWN_EXAMPLES.contains(lower)) {
            return true;
        }
        // One character repeated, or an obvious placeholder, whatever its length.
        return lower.chars().distinct().count() <= 2 || lower.contains("changeme") || lower.contains("change-me")
                || lower.contains("your-secret") || lower.contains("example");
    }
}
