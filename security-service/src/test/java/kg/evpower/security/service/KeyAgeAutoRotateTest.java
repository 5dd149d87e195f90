package kg.evpower.security.service;

import static kg.evpower.security.service.KeyAgeJobTest.ageKey;
import static kg.evpower.security.service.KeyAgeJobTest.ageRegistration;
import static kg.evpower.security.service.KeyAgeJobTest.withKey;
import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import kg.evpower.platform.testing.Reactive;
import kg.evpower.security.service.KeyAgeJob.KeyAgeReport;
import kg.evpower.security.support.Api;

/**
 * The key-age job with {@code auto-rotate=true} (from configuration) and a 10-minute decrypt grace, so the grace
 * period is long enough to observe. The crypto calls go to the services directly: a profile restart empties the
 * database and makes a new signing key, so a service token cached by an earlier test class would not verify here.
 */
@QuarkusTest
@TestProfile(KeyAgeAutoRotateTest.AutoRotate.class)
class KeyAgeAutoRotateTest {

    public static class AutoRotate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("evpower.security.key-age.auto-rotate", "true",
                    "evpower.security.encryption-keys.decrypt-grace", "10m");
        }
    }

    private static final Caller GATEWAY = new Caller("service:station-gateway", "127.0.0.1");

    @Inject
    KeyAgeJob job;

    @Inject
    EncryptionKeyService keys;

    @Inject
    ChargePointService chargePoints;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    private String encrypt(String cpId, String text) {
        return Reactive.run(vertx, () -> keys.encrypt(cpId,
                Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)), GATEWAY)).payload();
    }

    private EncryptionKeyService.Decrypted decrypt(String cpId, String payload) {
        return Reactive.run(vertx, () -> keys.decrypt(cpId, payload, GATEWAY));
    }

    private static String text(EncryptionKeyService.Decrypted decrypted) {
        return new String(Base64.getDecoder().decode(decrypted.plaintext()), StandardCharsets.UTF_8);
    }

    private Row key(String cpId, int version) {
        return rows(pool, "SELECT status, created_at, rotated_at, decrypt_until FROM cp_encryption_key"
                + " WHERE cp_id = $1 AND key_version = $2", cpId, version).getFirst();
    }

    @Test
    void anOldEncryptionKeyIsRotatedWithTheGracePeriodAndTheAuthorizationKeyIsOnlyReported() {
        String cpId = newCpId();
        String authorizationKey = Api.register(cpId);
        Api.admin().body(Map.of("cp_id", cpId)).post("/keys/generate").then().statusCode(200);
        String inFlight = encrypt(cpId, "in flight");
        ageKey(pool, cpId, 100);
        ageRegistration(pool, cpId, 100);
        Row before = rows(pool, "SELECT credential_hash, token_version FROM charge_point WHERE cp_id = $1", cpId).getFirst();
        Instant start = Instant.now();

        KeyAgeReport report = job.run().await().atMost(Duration.ofSeconds(30));

        Instant end = Instant.now();
        assertTrue(report.autoRotate(), "auto-rotate comes from configuration");
        assertTrue(report.encryption().contains(cpId) && report.rotated().contains(cpId), report.toString());
        assertTrue(report.authorization().contains(cpId), report.toString());
        assertTrue(report.failed().isEmpty(), report.toString());

        // Version 1 decrypts for the grace period; version 2 is the one active key.
        Row old = key(cpId, 1);
        assertEquals("DECRYPT_ONLY", old.getString("status"));
        Instant rotatedAt = old.getOffsetDateTime("rotated_at").toInstant();
        Instant decryptUntil = old.getOffsetDateTime("decrypt_until").toInstant();
        assertFalse(rotatedAt.isBefore(start.minusMillis(1)) || rotatedAt.isAfter(end.plusMillis(1)), rotatedAt.toString());
        assertEquals(Duration.ofMinutes(10), Duration.between(rotatedAt, decryptUntil));
        assertEquals("ACTIVE", key(cpId, 2).getString("status"));
        assertEquals(1, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1 AND status = 'ACTIVE'", cpId));
        assertEquals(2, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1", cpId));

        // Data sealed with the old key still opens during the grace; new data is sealed with version 2.
        EncryptionKeyService.Decrypted opened = decrypt(cpId, inFlight);
        assertEquals(1, opened.keyVersion());
        assertEquals("in flight", text(opened));
        String fresh = encrypt(cpId, "after rotation");
        assertEquals(2, decrypt(cpId, fresh).keyVersion());

        // Audited and announced like a manual rotation.
        List<Row> audit = rows(pool, "SELECT action, outcome, reason FROM audit_event WHERE cp_id = $1 AND actor = $2",
                cpId, KeyAgeJob.ACTOR);
        assertEquals(1, audit.size());
        assertEquals("KEY_RESET", audit.getFirst().getString("action"));
        assertEquals("SUCCESS", audit.getFirst().getString("outcome"));
        assertEquals("key older than 90d (key-age job): version 1 -> 2", audit.getFirst().getString("reason"));
        assertEquals(2, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1"
                + " AND event_type = 'security.key.rotated'", cpId));

        // The authorization key is untouched: same hash, same token version, and the station still logs in.
        Row after = rows(pool, "SELECT credential_hash, token_version, credentials_rotated_at FROM charge_point"
                + " WHERE cp_id = $1", cpId).getFirst();
        assertEquals(before.getString("credential_hash"), after.getString("credential_hash"));
        assertEquals(before.getInteger("token_version"), after.getInteger("token_version"));
        assertNull(after.getValue("credentials_rotated_at"));
        assertTrue(Reactive.run(vertx, () -> chargePoints.authenticate(cpId, authorizationKey,
                new Caller("gateway", Api.randomAddress()), "AUTH_BASIC")).authenticated());

        // Rotated keys are no longer over age; the authorization key still is.
        assertEquals(report.encryptionStillOverAge(),
                registry.get("evpower.security.keys.over.age").tag("kind", "encryption").gauge().value());
        assertEquals(report.authorization().size(),
                registry.get("evpower.security.keys.over.age").tag("kind", "authorization").gauge().value());
        KeyAgeReport next = job.run().await().atMost(Duration.ofSeconds(30));
        assertFalse(next.encryption().contains(cpId));
        assertTrue(next.authorization().contains(cpId));
        assertEquals(2, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1", cpId));
    }

    @Test
    void twoRunsAtOnceRotateEachOldKeyOnce() {
        List<String> cps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String cpId = withKey(newCpId());
            ageKey(pool, cpId, 91);
            cps.add(cpId);
        }

        List<KeyAgeReport> runs = Uni.join().all(job.run(), job.run()).andFailFast().await().atMost(Duration.ofSeconds(60));

        for (String cpId : cps) {
            assertEquals(2, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1", cpId), cpId);
            assertEquals("ACTIVE", key(cpId, 2).getString("status"));
            assertEquals("DECRYPT_ONLY", key(cpId, 1).getString("status"));
            assertEquals(1, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'KEY_RESET'",
                    cpId), cpId);
            long rotatedBy = runs.stream().filter(r -> r.rotated().contains(cpId)).count();
            assertEquals(1, rotatedBy, cpId + " " + runs);
        }
        assertTrue(runs.stream().allMatch(r -> r.failed().isEmpty()), runs.toString());
    }

    @Test
    void aKeyThatIsNoLongerOldUnderTheLockIsNotRotated() {
        String cpId = withKey(newCpId());
        // The job saw an old key, but by the time it holds the lock the key is newer than the cutoff.
        Instant cutoff = Instant.now().minus(Duration.ofDays(90));
        assertNull(Reactive.run(vertx, () -> keys.rotateIfOlderThan(cpId, cutoff, "test", new Caller(KeyAgeJob.ACTOR, null))));
        assertEquals(1, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1", cpId));
        // A revoked charge point is skipped, not an error.
        ageKey(pool, cpId, 200);
        Api.status(cpId, "revoke", "stolen");
        assertNull(Reactive.run(vertx, () -> keys.rotateIfOlderThan(cpId, cutoff, "test", new Caller(KeyAgeJob.ACTOR, null))));
        assertEquals(0, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1 AND status <> 'REVOKED'", cpId));
        KeyAgeReport report = job.run().await().atMost(Duration.ofSeconds(30));
        assertFalse(report.encryption().contains(cpId) || report.authorization().contains(cpId));
    }
}
