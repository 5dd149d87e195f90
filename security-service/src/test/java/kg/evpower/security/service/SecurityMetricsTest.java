package kg.evpower.security.service;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.from;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.CalendarMinute;
import kg.evpower.security.metrics.SecurityMetrics;
import kg.evpower.security.support.Api;
import kg.evpower.platform.testing.Metrics;

/** The security service's meters: present from start-up, and moved by the events they count. */
@QuarkusTest
class SecurityMetricsTest {

    private static final String AUTH = "evpower_security_auth_failures_total";
    private static final String DECRYPT = "evpower_security_decryption_failures_total";
    private static final String REVOKED = "evpower_security_charge_points_revoked_total";
    private static final String JOBS = "evpower_job_runs_total";

    @Inject
    SigningKeyService signingKeys;

    private static double auth(String reason) {
        return Metrics.value(AUTH, "reason=\"" + reason + "\"");
    }

    private static void authenticate(String cpId, String password) {
        Api.internal().body(Map.of("password", password, "sourceAddress", Api.randomAddress()))
                .post("/internal/charge-points/" + cpId + "/authenticate").then().statusCode(200);
    }

    @Test
    void everyMeterIsExposedWithItsKnownTagsBeforeAnyEvent() {
        String scrape = Metrics.scrape();
        for (String reason : SecurityMetrics.AUTH_FAILURE_REASONS) {
            assertTrue(Metrics.find(scrape, AUTH, "reason=\"" + reason + "\"").isPresent(), reason);
        }
        for (String kind : SecurityMetrics.DECRYPTION_KINDS) {
            assertTrue(Metrics.find(scrape, DECRYPT, "kind=\"" + kind + "\"").isPresent(), kind);
        }
        assertTrue(Metrics.find(scrape, REVOKED).isPresent());
        for (String job : SecurityMetrics.JOBS) {
            assertTrue(Metrics.find(scrape, JOBS, "job=\"" + job + "\"", "outcome=\"success\"").isPresent(), job);
            assertTrue(Metrics.find(scrape, JOBS, "job=\"" + job + "\"", "outcome=\"failure\"").isPresent(), job);
        }
        for (String kind : SecurityMetrics.KEY_KINDS) {
            assertTrue(Metrics.find(scrape, "evpower_security_keys_over_age", "kind=\"" + kind + "\"").isPresent(), kind);
        }
    }

    @Test
    void wrongKeyAndUnknownChargePointAreCountedByReason() {
        String cpId = newCpId();
        register(cpId);
        double wrong = auth("wrong_key");
        double unknown = auth("unknown");
        authenticate(cpId, "not-the-right-key");
        assertEquals(wrong + 1, auth("wrong_key"));
        assertEquals(unknown, auth("unknown"));
        authenticate("CP-NOBODY-" + cpId, "whatever-key-0123");
        assertEquals(unknown + 1, auth("unknown"));
        assertEquals(wrong + 1, auth("wrong_key"));
    }

    @Test
    void lockOutIsCountedOnTheAttemptItRefuses() {
        String cpId = newCpId();
        String key = register(cpId);
        String source = Api.randomAddress();
        for (int i = 0; i < 3; i++) {
            Api.internal().body(Map.of("password", "wrong-" + i, "sourceAddress", source))
                    .post("/internal/charge-points/" + cpId + "/authenticate").then().statusCode(200);
        }
        double locked = auth("locked_out");
        authenticate(cpId, key);
        assertEquals(locked + 1, auth("locked_out"));
    }

    @Test
    void revocationCountsOnceAndARevokedStationsLoginIsARevokedFailure() {
        String cpId = newCpId();
        String key = register(cpId);
        double revokedBefore = Metrics.value(REVOKED);
        double failures = auth("revoked");
        admin().body(Map.of("cp_id", cpId, "reason", "stolen")).post("/status/revoke").then().statusCode(200);
        assertEquals(revokedBefore + 1, Metrics.value(REVOKED));
        // Deregistering an already revoked charge point is not a second revocation.
        admin().body(Map.of("reason", "scrapped")).delete("/admin/charge-points/" + cpId).then().statusCode(200);
        assertEquals(revokedBefore + 1, Metrics.value(REVOKED));
        authenticate(cpId, key);
        assertEquals(failures + 1, auth("revoked"));
    }

    @Test
    void theAuthRateLimitIsCounted() {
        CalendarMinute.awaitRoom(Duration.ofSeconds(20));
        String source = Api.randomAddress();
        double limited = auth("rate_limited");
        for (int i = 0; i < 10; i++) {
            from(source).body(Map.of("cp_id", "CP-RL-" + i, "token", "x.y.z")).post("/auth/token").then().statusCode(200);
        }
        assertEquals(limited, auth("rate_limited"));
        from(source).body(Map.of("cp_id", "CP-RL-X", "token", "x.y.z")).post("/auth/token").then().statusCode(429);
        assertEquals(limited + 1, auth("rate_limited"));
    }

    @Test
    void decryptionFailuresAreCountedByKind() {
        String cpId = newCpId();
        register(cpId);
        admin().body(Map.of("cp_id", cpId, "reason", "commissioning")).post("/keys/generate").then().statusCode(200);
        double malformed = Metrics.value(DECRYPT, "kind=\"invalid_format\"");
        double unknownKey = Metrics.value(DECRYPT, "kind=\"key_not_found\"");
        Api.internal().body(Map.of("payload", "%%%not base64%%%")).post("/internal/crypto/" + cpId + "/decrypt")
                .then().statusCode(400).body("code", equalTo("PAYLOAD_MALFORMED"));
        assertEquals(malformed + 1, Metrics.value(DECRYPT, "kind=\"invalid_format\""));
        // key version 9, a 12-byte nonce and 16 bytes of "ciphertext + tag": a version this charge point never had.
        byte[] raw = new byte[4 + 12 + 16];
        raw[3] = 9;
        Api.internal().body(Map.of("payload", java.util.Base64.getEncoder().encodeToString(raw)))
                .post("/internal/crypto/" + cpId + "/decrypt").then().statusCode(422).body("code", equalTo("KEY_VERSION_UNKNOWN"));
        assertEquals(unknownKey + 1, Metrics.value(DECRYPT, "kind=\"key_not_found\""));
        assertEquals(malformed + 1, Metrics.value(DECRYPT, "kind=\"invalid_format\""));
    }

    @Test
    void aSigningKeyRefreshRunIsCounted() {
        double runs = Metrics.value(JOBS, "job=\"signing_key_refresh\"", "outcome=\"success\"");
        signingKeys.refreshAndRotateWhenDue().await().atMost(Duration.ofSeconds(10));
        assertTrue(Metrics.value(JOBS, "job=\"signing_key_refresh\"", "outcome=\"success\"") >= runs + 1);
    }
}
