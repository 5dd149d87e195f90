package kg.evpower.payment.client;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The O!Dengi request envelope: {@code cmd, version 1005, sid, mktime, lang, data} in that order, and {@code hash} =
 * hex HMAC-MD5 keyed with the merchant password over the compact JSON of those six keys (non-ASCII kept as is).
 * Webhooks are signed with hex HMAC-SHA256 of the raw body under the webhook secret.
 */
public final class OdengiSigner {

    public static final int VERSION = 1005;

    private static final ObjectMapper JSON = new ObjectMapper();

    private OdengiSigner() {
    }

    /** The six signed keys in their order. */
    public static Map<String, Object> unsigned(String cmd, String sid, String mktime, String lang, Map<String, Object> data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("cmd", cmd);
        envelope.put("version", VERSION);
        envelope.put("sid", sid);
        envelope.put("mktime", mktime);
        envelope.put("lang", lang);
        envelope.put("data", data);
        return envelope;
    }

    /** The request body: the envelope plus its hash. */
    public static String sign(Map<String, Object> unsigned, String password) {
        Map<String, Object> body = new LinkedHashMap<>(unsigned);
        body.put("hash", hash(compact(unsigned), password));
        return compact(body);
    }

    public static String compact(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }

    public static String hash(String compactJson, String password) {
        return hmac("HmacMD5", password, compactJson.getBytes(StandardCharsets.UTF_8));
    }

    public static String webhookSignature(byte[] body, String secret) {
        return hmac("HmacSHA256", secret, body);
    }

    static String hmac(String algorithm, String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /** Constant-time comparison of two hex signatures (case-insensitive). */
    public static boolean matches(String expectedHex, String givenHex) {
        if (expectedHex == null || givenHex == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHex.toLowerCase().getBytes(StandardCharsets.US_ASCII),
                givenHex.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }
}
