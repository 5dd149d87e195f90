package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static kg.evpower.security.support.Api.rows;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.security.support.Api;

/** Test profile: a rotated key decrypts for 2 s more. */
@QuarkusTest
class EncryptionKeyTest {

    @Inject
    Pool pool;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private String encrypt(String cpId, String text) {
        return Api.internal().body(Map.of("plaintext", b64(text))).post("/internal/crypto/" + cpId + "/encrypt")
                .then().statusCode(200).body("cpId", equalTo(cpId)).extract().path("payload");
    }

    private io.restassured.response.ValidatableResponse decrypt(String cpId, String payload) {
        return Api.internal().body(Map.of("payload", payload)).post("/internal/crypto/" + cpId + "/decrypt").then();
    }

    private String withKey(String cpId) {
        register(cpId);
        admin().body(Map.of("cp_id", cpId, "reason", "commissioning")).post("/keys/generate")
                .then().statusCode(200).body("success", equalTo(true)).body("key_version", equalTo(1));
        return cpId;
    }

    private long openErrors(String cpId) {
        return count(pool, "SELECT count(*) FROM encryption_error WHERE cp_id = $1 AND resolved_at IS NULL", cpId);
    }

    @Test
    void roundTripAndPayloadFormat() {
        String cpId = withKey(newCpId());
        String payload = encrypt(cpId, "{\"meter\":1234}");
        byte[] raw = Base64.getDecoder().decode(payload);
        assertEquals(1, ByteBuffer.wrap(raw).getInt());
        assertEquals(4 + 12 + "{\"meter\":1234}".length() + 16, raw.length);
        decrypt(cpId, payload).statusCode(200).body("keyVersion", equalTo(1)).body("plaintext", equalTo(b64("{\"meter\":1234}")));
        // The key is stored wrapped, with its integrity hash, and the events say so.
        var row = rows(pool, "SELECT wrapped_key, key_hash, status FROM cp_encryption_key WHERE cp_id = $1", cpId).getFirst();
        assertEquals(64, row.getString("key_hash").length());
        assertEquals(4 * ((12 + 32 + 16 + 2) / 3), row.getString("wrapped_key").length());
        assertEquals(1, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'security.key.rotated'", cpId));
        assertEquals(1, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'KEY_GENERATE'", cpId));
    }

    @Test
    void generatingTwiceIsAConflictNotASuccess() {
        String cpId = withKey(newCpId());
        admin().body(Map.of("cp_id", cpId)).post("/keys/generate").then().statusCode(409).body("code", equalTo("KEY_EXISTS"));
        admin().body(Map.of("cp_id", "CP-NOPE-404")).post("/keys/generate")
                .then().statusCode(404).body("code", equalTo("CHARGE_POINT_NOT_FOUND"));
        assertEquals(1, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1", cpId));
    }

    @Test
    void rotationKeepsThePreviousVersionDecryptOnlyForTheGracePeriod() throws Exception {
        String cpId = withKey(newCpId());
        String old = encrypt(cpId, "in flight");
        admin().body(Map.of("cp_id", cpId, "reason", "scheduled")).post("/keys/reset")
                .then().statusCode(200).body("key_version", equalTo(2));
        String fresh = encrypt(cpId, "new");
        assertEquals(2, ByteBuffer.wrap(Base64.getDecoder().decode(fresh)).getInt());
        decrypt(cpId, old).statusCode(200).body("keyVersion", equalTo(1)).body("plaintext", equalTo(b64("in flight")));
        Thread.sleep(2500);
        decrypt(cpId, old).statusCode(422).body("code", equalTo("KEY_EXPIRED"));
        decrypt(cpId, fresh).statusCode(200).body("plaintext", equalTo(b64("new")));
        assertEquals("DECRYPT_ONLY", rows(pool, "SELECT status FROM cp_encryption_key WHERE cp_id = $1 AND key_version = 1",
                cpId).getFirst().getString("status"));
    }

    @Test
    void rotatingAnOutOfServiceChargePointNeverLeavesItWithoutAKey() {
        String cpId = withKey(newCpId());
        Api.status(cpId, "out-of-service", "maintenance");
        admin().body(Map.of("cp_id", cpId)).post("/keys/reset").then().statusCode(200).body("key_version", equalTo(2));
        assertEquals(1, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1 AND status = 'ACTIVE'", cpId));
        admin().get("/security/status/" + cpId).then().statusCode(200).body("has_encryption_key", equalTo(true))
                .body("key_version", equalTo(2)).body("display_state", equalTo("OUT_OF_SERVICE"));
    }

    @Test
    void revocationIsImmediateAndASecondRevokeIsNotFound() {
        String cpId = withKey(newCpId());
        String payload = encrypt(cpId, "secret");
        admin().body(Map.of("cp_id", cpId, "reason", "leaked")).post("/keys/revoke").then().statusCode(200);
        decrypt(cpId, payload).statusCode(422).body("code", equalTo("KEY_REVOKED"));
        Api.internal().body(Map.of("plaintext", b64("x"))).post("/internal/crypto/" + cpId + "/encrypt")
                .then().statusCode(409).body("code", equalTo("NO_ACTIVE_KEY"));
        admin().body(Map.of("cp_id", cpId)).post("/keys/revoke").then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));
        assertEquals(1, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'security.key.revoked'", cpId));
    }

    @Test
    void rotatedThenRevokedVersionsAllStop() {
        String cpId = withKey(newCpId());
        String v1 = encrypt(cpId, "one");
        admin().body(Map.of("cp_id", cpId)).post("/keys/reset").then().statusCode(200);
        admin().body(Map.of("cp_id", cpId)).post("/keys/revoke").then().statusCode(200)
                .body("message", equalTo("Key versions [2, 1] revoked"));
        decrypt(cpId, v1).statusCode(422).body("code", equalTo("KEY_REVOKED"));
    }

    @Test
    void everyTamperedPayloadKindIsRefusedWithItsCodeAndRecorded() {
        String cpId = withKey(newCpId());
        String payload = encrypt(cpId, "{\"energy\":42}");
        byte[] raw = Base64.getDecoder().decode(payload);

        byte[] flipped = raw.clone();
        flipped[20] ^= 0x01; // ciphertext
        decrypt(cpId, Base64.getEncoder().encodeToString(flipped)).statusCode(422).body("code", equalTo("DECRYPTION_FAILED"));
        byte[] badTag = raw.clone();
        badTag[raw.length - 1] ^= 0x01;
        decrypt(cpId, Base64.getEncoder().encodeToString(badTag)).statusCode(422).body("code", equalTo("DECRYPTION_FAILED"));
        byte[] badNonce = raw.clone();
        badNonce[5] ^= 0x01;
        decrypt(cpId, Base64.getEncoder().encodeToString(badNonce)).statusCode(422).body("code", equalTo("DECRYPTION_FAILED"));
        byte[] otherVersion = raw.clone();
        otherVersion[3] = 9;
        decrypt(cpId, Base64.getEncoder().encodeToString(otherVersion)).statusCode(422)
                .body("code", equalTo("KEY_VERSION_UNKNOWN"));
        decrypt(cpId, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 20))).statusCode(400)
                .body("code", equalTo("PAYLOAD_TRUNCATED"));
        decrypt(cpId, "%%%not base64%%%").statusCode(400).body("code", equalTo("PAYLOAD_MALFORMED"));

        // Another charge point's payload (another key, and bound to the other id) does not open here.
        String other = withKey(newCpId());
        decrypt(cpId, encrypt(other, "theirs")).statusCode(422).body("code", equalTo("DECRYPTION_FAILED"));

        assertEquals(7, openErrors(cpId));
        admin().get("/security/encryption-errors").then().statusCode(200)
                .body("cp_errors", hasItem(cpId))
                .body("active_errors.findAll { it.cp_id == '" + cpId + "' }.error_type",
                        hasItem("decryption_failed"))
                .body("active_errors.findAll { it.cp_id == '" + cpId + "' }.error_type", hasItem("invalid_format"))
                .body("active_errors.findAll { it.cp_id == '" + cpId + "' }.error_type", hasItem("key_not_found"));
        admin().get("/security/status/" + cpId).then().body("communication_status", equalTo("ENCRYPTION_ERROR"))
                .body("display_state", equalTo("ENCRYPTION_ERROR"));
        assertEquals(7, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'CRYPTO'"
                + " AND outcome = 'FAILURE' AND actor = 'service:station-gateway'", cpId));

        // The next success clears them.
        decrypt(cpId, payload).statusCode(200);
        assertEquals(0, openErrors(cpId));
        admin().get("/security/encryption-errors").then().body("cp_errors", not(hasItem(cpId)));
        admin().get("/security/status/" + cpId).then().body("communication_status", equalTo("OK"));
    }

    @Test
    void badPlaintextAndUnknownChargePoints() {
        String cpId = withKey(newCpId());
        Api.internal().body(Map.of("plaintext", "***")).post("/internal/crypto/" + cpId + "/encrypt")
                .then().statusCode(400).body("code", equalTo("PLAINTEXT_MALFORMED"));
        Api.internal().body(Map.of("plaintext", b64("x"))).post("/internal/crypto/CP-NOPE-404/encrypt")
                .then().statusCode(404).body("code", equalTo("CHARGE_POINT_NOT_FOUND"));
        assertEquals(0, openErrors(cpId));
    }

    @Test
    void wrappedKeysAreBoundToTheirChargePoint() {
        String a = withKey(newCpId());
        String b = withKey(newCpId());
        // Move A's wrapped key onto B: the unwrap (AAD = cp id and version) refuses it.
        pool.preparedQuery("UPDATE cp_encryption_key SET wrapped_key = (SELECT wrapped_key FROM cp_encryption_key WHERE"
                + " cp_id = $1 AND key_version = 1), key_hash = (SELECT key_hash FROM cp_encryption_key WHERE cp_id = $1"
                + " AND key_version = 1) WHERE cp_id = $2").execute(io.vertx.mutiny.sqlclient.Tuple.of(a, b))
                .await().indefinitely();
        Api.internal().body(Map.of("plaintext", b64("x"))).post("/internal/crypto/" + b + "/encrypt")
                .then().statusCode(500).body("code", equalTo("KEY_INTEGRITY_FAILED"));
        assertFalse(rows(pool, "SELECT message FROM encryption_error WHERE cp_id = $1", b).isEmpty());
    }
}
