package kg.evpower.security.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Slow hashes of authorization keys: PBKDF2-HMAC-SHA256 from the JDK, 16-byte random salt, 32-byte output, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>} so the iteration count can grow without breaking old hashes.
 * CPU-heavy: call it from a worker thread, never from the event loop.
 */
public final class PasswordHasher {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    /**
     * Verified against when the charge point is unknown, so that answer takes as long as a real check. Made on first
     * use, on the worker thread that verifies: the constructor may run on the event loop (beans are created lazily).
     */
    private volatile String dummyHash;

    public PasswordHasher(int iterations) {
        if (iterations < 1000) {
            throw new IllegalArgumentException("PBKDF2 needs at least 1000 iterations");
        }
        this.iterations = iterations;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] derived = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
    }

    /** Whether {@code password} matches {@code stored}; constant time in the compared bytes; false for a malformed hash. */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        try {
            int rounds = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, rounds));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Burns the time of one verification and answers false (unknown charge point). */
    public boolean verifyNothing(String password) {
        String dummy = dummyHash;
        if (dummy == null) {
            dummy = hash("not-a-real-authorization-key-" + RANDOM.nextLong());
            dummyHash = dummy;
        }
        verify(password == null ? "" : password, dummy);
        return false;
    }

    private static byte[] derive(String password, byte[] salt, int rounds) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** A new authorization key: 20 random bytes as 40 hex characters (the OCPP 1.6 security profile allows 16–40). */
    public static String newAuthorizationKey() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
