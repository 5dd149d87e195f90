package kg.evpower.security.service;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.testing.Metrics;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.service.KeyAgeJob.KeyAgeReport;
import kg.evpower.security.support.Api;

/**
 * The key-age job with the default configuration (max age 90 days, no automatic rotation): what it reports, the gauges,
 * the run counter. Rows are made old by moving their timestamps back. Rotation: {@link KeyAgeAutoRotateTest}.
 */
@QuarkusTest
class KeyAgeJobTest {

    private static final String GAUGE = "evpower_security_keys_over_age";
    private static final String JOBS = "evpower_job_runs_total";

    @Inject
    KeyAgeJob job;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Inject
    SecurityConfig config;

    static String withKey(String cpId) {
        register(cpId);
        admin().body(Map.of("cp_id", cpId, "reason", "commissioning")).post("/keys/generate").then().statusCode(200);
        return cpId;
    }

    /** The active encryption key was created {@code days} ago. */
    static void ageKey(Pool pool, String cpId, int days) {
        sql(pool, "UPDATE cp_encryption_key SET created_at = now() - make_interval(days => $2)"
                + " WHERE cp_id = $1 AND status = 'ACTIVE'", cpId, days);
    }

    /** Registered {@code days} ago, credentials never rotated. */
    static void ageRegistration(Pool pool, String cpId, int days) {
        sql(pool, "UPDATE charge_point SET registered_at = now() - make_interval(days => $2),"
                + " credentials_rotated_at = NULL WHERE cp_id = $1", cpId, days);
    }

    static void sql(Pool pool, String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }

    private double gauge(String kind) {
        return registry.get("evpower.security.keys.over.age").tag("kind", kind).gauge().value();
    }

    @Test
    void reportsOldKeysOfNonRevokedChargePointsOnlyAndSetsTheGauges() {
        String old = withKey(newCpId());
        ageKey(pool, old, 120);
        ageRegistration(pool, old, 120);
        String outOfService = withKey(newCpId());
        ageKey(pool, outOfService, 95);
        ageRegistration(pool, outOfService, 95);
        Api.status(outOfService, "out-of-service", "maintenance");
        String fresh = withKey(newCpId());
        String almost = withKey(newCpId());
        ageKey(pool, almost, 89);
        ageRegistration(pool, almost, 89);
        // Registered long ago, but its authorization key was rotated 10 days ago; its encryption key is new.
        String renewed = withKey(newCpId());
        ageRegistration(pool, renewed, 400);
        sql(pool, "UPDATE charge_point SET credentials_rotated_at = now() - interval '10 days' WHERE cp_id = $1", renewed);
        // Authorization key rotated 100 days ago, encryption key new.
        String oldCredential = withKey(newCpId());
        ageRegistration(pool, oldCredential, 300);
        sql(pool, "UPDATE charge_point SET credentials_rotated_at = now() - interval '100 days' WHERE cp_id = $1",
                oldCredential);
        String revoked = withKey(newCpId());
        ageKey(pool, revoked, 200);
        ageRegistration(pool, revoked, 200);
        Api.status(revoked, "revoke", "stolen");
        double runs = Metrics.value(JOBS, "job=\"key_age\"", "outcome=\"success\"");

        KeyAgeReport report = job.run().await().atMost(Duration.ofSeconds(30));

        assertEquals(Duration.ofDays(90), report.maxAge());
        assertFalse(report.autoRotate(), "auto-rotate is off by default");
        assertTrue(report.encryption().containsAll(List.of(old, outOfService)), report.toString());
        assertTrue(report.authorization().containsAll(List.of(old, outOfService, oldCredential)), report.toString());
        for (String notOld : List.of(fresh, almost, renewed, oldCredential, revoked)) {
            assertFalse(report.encryption().contains(notOld), notOld + " " + report);
        }
        for (String notOld : List.of(fresh, almost, renewed, revoked)) {
            assertFalse(report.authorization().contains(notOld), notOld + " " + report);
        }
        // Reported, not rotated.
        assertTrue(report.rotated().isEmpty() && report.skipped().isEmpty() && report.failed().isEmpty());
        assertEquals(1, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1", old));
        assertEquals(0, count(pool, "SELECT count(*) FROM audit_event WHERE actor = $1", KeyAgeJob.ACTOR));

        // The gauges are what this run found (other tests' charge points may be old too, so no fixed number).
        assertEquals(report.encryption().size(), report.encryptionStillOverAge());
        assertEquals(report.encryption().size(), gauge("encryption"));
        assertEquals(report.authorization().size(), gauge("authorization"));
        String scrape = Metrics.scrape();
        assertEquals(report.encryption().size(), Metrics.find(scrape, GAUGE, "kind=\"encryption\"").orElseThrow());
        assertEquals(report.authorization().size(), Metrics.find(scrape, GAUGE, "kind=\"authorization\"").orElseThrow());
        assertEquals(runs + 1, Metrics.find(scrape, JOBS, "job=\"key_age\"", "outcome=\"success\"").orElseThrow());

        // Keys renewed by hand are no longer reported, and the gauges follow.
        admin().body(Map.of("cp_id", old, "reason", "key age")).post("/keys/reset").then().statusCode(200)
                .body("key_version", equalTo(2));
        admin().body(Map.of()).post("/admin/charge-points/" + old + "/rotate-authorization-key").then().statusCode(200);
        KeyAgeReport after = job.run(false).await().atMost(Duration.ofSeconds(30));
        assertFalse(after.encryption().contains(old));
        assertFalse(after.authorization().contains(old));
        assertEquals(report.encryption().size() - 1, after.encryption().size());
        assertEquals(after.encryption().size(), gauge("encryption"));
        assertEquals(after.authorization().size(), gauge("authorization"));
    }

    @Test
    void aChargePointWithoutAnActiveKeyHasNoEncryptionKeyToReport() {
        String cpId = newCpId();
        register(cpId);
        ageRegistration(pool, cpId, 150);
        KeyAgeReport report = job.run(false).await().atMost(Duration.ofSeconds(30));
        assertFalse(report.encryption().contains(cpId));
        assertTrue(report.authorization().contains(cpId));
    }

    @Test
    void theDefaultsAreNinetyDaysDailyAndReportOnly() {
        assertTrue(config.keyAge().enabled());
        assertEquals(Duration.ofDays(90), config.keyAge().maxAge());
        assertFalse(config.keyAge().autoRotate());
        assertEquals("0 15 3 * * ?", config.keyAge().cron());
    }

    @Test
    void theLogLineListsAtMostFiftyIdsAndNeverAKey() {
        List<String> many = IntStream.rangeClosed(1, 60).mapToObj(i -> String.format("CP-%02d", i)).toList();
        String listed = KeyAgeJob.listed(many);
        assertTrue(listed.startsWith(" [CP-01, CP-02"), listed);
        assertTrue(listed.endsWith("CP-50] and 10 more"), listed);
        assertFalse(listed.contains("CP-51"), listed);
        assertEquals(" [CP-01]", KeyAgeJob.listed(List.of("CP-01")));
        assertEquals("", KeyAgeJob.listed(List.of()));

        KeyAgeReport report = new KeyAgeReport(java.time.Instant.now(), Duration.ofDays(90), true, List.of("CP-A", "CP-B"),
                List.of("CP-C"), List.of("CP-A"), List.of(), List.of("CP-B"));
        String line = KeyAgeJob.describe(report);
        assertEquals("Key age (max 90d): 2 charge point(s) with an encryption key over age [CP-A, CP-B], rotated 1"
                + " [CP-A], rotation failed for 1 [CP-B]; 1 with an authorization key over age [CP-C] (never rotated"
                + " automatically: POST /admin/charge-points/{cp_id}/rotate-authorization-key and configure the station)",
                line);
        assertEquals(1, report.encryptionStillOverAge());
    }
}
