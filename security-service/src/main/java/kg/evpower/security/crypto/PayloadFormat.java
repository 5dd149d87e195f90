package kg.evpower.security.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Wire format of payloads encrypted with a charge point's key: {@code base64( version ‖ nonce ‖ ciphertext ‖ tag )}
 * with a 4-byte big-endian key version, a 12-byte nonce and a 16-byte GCM tag. The associated data binds the charge
 * point id and the key version, so a payload cannot be replayed as another charge point's or relabelled.
 */
public final class PayloadFormat {

    public static final int VERSION_BYTES = 4;
    public static final int MIN_BYTES = VERSION_BYTES + AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES;

    private PayloadFormat() {
    }

    public record Parsed(int keyVersion, byte[] sealed) {
    }

    /** Why a payload could not even be parsed. */
    public static final class MalformedException extends Exception {
        private final boolean truncated;

        MalformedException(String message, boolean truncated) {
            super(message, null, false, false);
            this.truncated = truncated;
        }

        public boolean truncated() {
            return truncated;
        }
    }

    public static String encode(int keyVersion, byte[] sealed) {
        return Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(VERSION_BYTES + sealed.length).putInt(keyVersion).put(sealed).array());
    }

    public static Parsed decode(String payload) throws MalformedException {
        if (payload == null || payload.isBlank()) {
            throw new MalformedException("payload is empty", true);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(payload.trim());
        } catch (IllegalArgumentException e) {
            throw new MalformedException("payload is not base64", false);
        }
        if (bytes.length < MIN_BYTES) {
            throw new MalformedException("payload is shorter than version, nonce and tag (" + MIN_BYTES + " bytes)", true);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int version = buffer.getInt();
        byte[] sealed = new byte[buffer.remaining()];
        buffer.get(sealed);
        return new Parsed(version, sealed);
    }

    public static byte[] associatedData(String cpId, int keyVersion) {
        return ("evpower-cp-payload-v1|" + cpId + "|" + keyVersion).getBytes(StandardCharsets.UTF_8);
    }
}
