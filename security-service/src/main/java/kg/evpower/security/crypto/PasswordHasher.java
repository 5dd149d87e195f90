package kg.evpower.security.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes of authorization keys, by where the key came from:
 * <ul>
 * <li>a key an operator chose (it may be guessable): PBKDF2-HMAC-SHA256 from the JDK, 16-byte random salt, 32-byte
 * output, stored as {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>} so the iteration count can grow without
 * breaking old hashes. CPU-heavy (~0.5 CPU-s at 600,000 iterations): call it from a worker thread.</li>
 * <li>a key we generated ({@link #newAuthorizationKey()}: 160 random bits): salted SHA-256, stored as
 * {@code sha256$<salt b64>$<hash b64>}. Stretching adds nothing against guessing 2^160 keys, and it made every first
 * connection of a station cost half a CPU-second (issue 9).</li>
 * </ul>
 * {@link #verify} reads both forms, so hashes made before keep working.
 */
public final class PasswordHasher {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final String GENERATED_PREFIX = "sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    /**
     * Verified against when the charge point is unknown, so that answer takes as long as a real check of a generated
     * key (and runs where such a check runs: see {@link #isCheap}).
     */
    private final String dummyHash;

    public PasswordHasher(int iterations) {
        if (iterations < 1000) {
            throw new IllegalArgumentException("PBKDF2 needs at least 1000 iterations");
        }
        this.iterations = iterations;
        // the form most keys have (generated): an unknown id answers as fast as a known one, and costs as little
        this.dummyHash = hashGenerated("not-a-real-authorization-key-" + RANDOM.nextLong());
    }

    /**
     * Whether verifying against {@code stored} costs microseconds (a generated key's salted SHA-256), so it may run on
     * an event loop; false for PBKDF2 (a worker thread's job) and for anything unrecognised.
     */
    public static boolean isCheap(String stored) {
        return stored != null && stored.startsWith(GENERATED_PREFIX + "$");
    }

    /** Whether {@link #verifyNothing} is cheap: the same answer as {@link #isCheap} gives for its dummy hash. */
    public boolean verifyNothingIsCheap() {
        return isCheap(dummyHash);
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] derived = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
    }

    /** The hash of a key made by {@link #newAuthorizationKey()} (high entropy): salted SHA-256, cheap to check. */
    public String hashGenerated(String key) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return GENERATED_PREFIX + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(sha256(salt, key));
    }

    /** Whether {@code password} matches {@code stored}; constant time in the compared bytes; false for a malformed hash. */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length == 3 && GENERATED_PREFIX.equals(parts[0])) {
            try {
                byte[] salt = Base64.getDecoder().decode(parts[1]);
                return MessageDigest.isEqual(Base64.getDecoder().decode(parts[2]), sha256(salt, password));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
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
        verify(password == null ? "" : password, dummyHash);
        return false;
    }

    private static byte[] sha256(byte[] salt, String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return digest.digest(utf8(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
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
