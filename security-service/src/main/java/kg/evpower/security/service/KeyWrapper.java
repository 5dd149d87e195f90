package kg.evpower.security.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;

import kg.evpower.security.config.Secrets;
import kg.evpower.security.crypto.AesGcm;

/**
 * Wraps per-charge-point keys at rest: AES-256-GCM under a KEK derived (HKDF-SHA256) from {@code EV_KEY_ENCRYPTION_SECRET},
 * associated data = charge point id and key version, so a wrapped key cannot be moved to another charge point or version.
 * Each unwrap also checks the stored SHA-256 integrity hash of the raw key.
 */
@ApplicationScoped
public class KeyWrapper {

    public record Wrapped(String wrappedKey, String keyHash) {
    }

    /** The stored key does not open, or opens to something else than what its hash says. */
    public static final class KeyIntegrityException extends Exception {
        KeyIntegrityException(String message) {
            super(message, null, false, false);
        }
    }

    private final Secrets secrets;
    private volatile SecretKey kek;

    KeyWrapper(Secrets secrets) {
        this.secrets = secrets;
    }

    public Wrapped wrap(String cpId, int version, SecretKey key) {
        byte[] raw = key.getEncoded();
        return new Wrapped(Base64.getEncoder().encodeToString(AesGcm.seal(kek(), raw, aad(cpId, version))), sha256Hex(raw));
    }

    public SecretKey unwrap(String cpId, int version, String wrappedKey, String keyHash) throws KeyIntegrityException {
        byte[] raw;
        try {
            raw = AesGcm.open(kek(), Base64.getDecoder().decode(wrappedKey), aad(cpId, version));
        } catch (AesGcm.OpenFailedException | IllegalArgumentException e) {
            throw new KeyIntegrityException("the stored key of version " + version + " does not unwrap");
        }
        if (!MessageDigest.isEqual(sha256Hex(raw).getBytes(StandardCharsets.US_ASCII),
                String.valueOf(keyHash).getBytes(StandardCharsets.US_ASCII))) {
            throw new KeyIntegrityException("the stored key of version " + version + " fails its integrity hash");
        }
        return AesGcm.key(raw);
    }

    private SecretKey kek() {
        SecretKey key = kek;
        if (key == null) {
            key = AesGcm.deriveKey(secrets.require(Secrets.KEY_ENCRYPTION_SECRET), "evpower-cp-key-wrap-v1",
                    "charge point key encryption key");
            kek = key;
        }
        return key;
    }

    static byte[] aad(String cpId, int version) {
        return ("evpower-cp-key|" + cpId + "|" + version).getBytes(StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
