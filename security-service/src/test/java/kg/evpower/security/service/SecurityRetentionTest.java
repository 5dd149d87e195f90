package kg.evpower.security.service;

import static kg.evpower.security.support.Api.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.retention.RetentionJob;
import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.testing.Metrics;

/**
 * security-service's retention rules, run by the platform's job against the real database. The test database is
 * emptied at start-up and no other test writes rows this old, so the counts removed are exactly this test's rows. That
 * a configured audit keep below 90 days stops the service is {@code ProdStartupRefusalIT.refusesAnAuditKeepBelowNinetyDays}.
 */
@QuarkusTest
class SecurityRetentionTest {

    private static final String REMOVED = "evpower_retention_removed_rows_total";

    @Inject
    RetentionJob job;

    @Inject
    Instance<RetentionRule> rules;

    @Inject
    Pool pool;

    private RetentionRule rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    private void audit(String cpId, String label, int daysAgo) {
        pool.preparedQuery("INSERT INTO audit_event (occurred_at, actor, action, outcome, severity, cp_id, reason)"
                + " VALUES (now() - make_interval(days => $3), 'admin:key', 'STATUS_CHANGE', 'SUCCESS', 'INFO', $1, $2)")
                .execute(Tuple.of(cpId, label, daysAgo)).await().atMost(Duration.ofSeconds(10));
    }

    private void error(String cpId, String label, int daysAgo, boolean resolved) {
        pool.preparedQuery("INSERT INTO encryption_error (cp_id, error_type, message, occurred_at, resolved_at)"
                + " VALUES ($1, 'decryption_failed', $2, now() - make_interval(days => $3),"
                + " CASE WHEN $4 THEN now() - make_interval(days => $3) + interval '1 minute' END)")
                .execute(Tuple.of(cpId, label, daysAgo, resolved)).await().atMost(Duration.ofSeconds(10));
    }

    private List<String> left(String sql, String cpId) {
        return rows(pool, sql, cpId).stream().map((Row r) -> r.getString(0)).toList();
    }

    @Test
    void oldAuditRowsAndOldResolvedEncryptionErrorsGoTheRestStays() {
        String cpId = "CP-RET-" + UUID.randomUUID().toString().substring(0, 8);
        audit(cpId, "a400", 400);
        audit(cpId, "a366", 366);
        audit(cpId, "a364", 364);
        audit(cpId, "a100", 100);
        audit(cpId, "a000", 0);
        error(cpId, "resolved-120", 120, true);
        error(cpId, "resolved-91", 91, true);
        error(cpId, "resolved-89", 89, true);
        error(cpId, "resolved-0", 0, true);
        error(cpId, "open-400", 400, false);
        double auditBefore = Metrics.value(REMOVED, "rule=\"audit_event\"");
        double errorsBefore = Metrics.value(REMOVED, "rule=\"encryption_error\"");

        Map<String, Long> removed = job.runAll().await().atMost(Duration.ofSeconds(30));

        assertEquals(2L, removed.get("audit_event"), removed.toString());
        assertEquals(2L, removed.get("encryption_error"), removed.toString());
        assertEquals(List.of("a000", "a100", "a364"),
                left("SELECT reason FROM audit_event WHERE cp_id = $1 ORDER BY reason", cpId));
        // Unresolved errors stay however old they are: the status views show them until a success resolves them.
        assertEquals(List.of("open-400", "resolved-0", "resolved-89"),
                left("SELECT message FROM encryption_error WHERE cp_id = $1 ORDER BY message", cpId));
        assertEquals(auditBefore + 2, Metrics.value(REMOVED, "rule=\"audit_event\""));
        assertEquals(errorsBefore + 2, Metrics.value(REMOVED, "rule=\"encryption_error\""));

        Map<String, Long> again = job.runAll().await().atMost(Duration.ofSeconds(30));
        assertEquals(0L, again.get("audit_event"));
        assertEquals(0L, again.get("encryption_error"));
    }

    @Test
    void auditRowsAreKeptAYearByDefaultAndNeverLessThanNinetyDays() {
        RetentionRule audit = rule("audit_event");
        assertEquals(Duration.ofDays(365), audit.defaultKeep());
        assertEquals(Duration.ofDays(365), job.keep(audit));
        assertEquals(Duration.ofDays(90), audit.minimumKeep());
        // What the platform's start-up check compares: a keep of 30 days is below the minimum, 90 days is not.
        assertTrue(Duration.ofDays(30).compareTo(audit.minimumKeep()) < 0);
        assertTrue(Duration.ofDays(90).compareTo(audit.minimumKeep()) >= 0);

        RetentionRule errors = rule("encryption_error");
        assertEquals(Duration.ofDays(90), errors.defaultKeep());
        assertEquals(Duration.ofDays(90), job.keep(errors));
        assertEquals(Duration.ZERO, errors.minimumKeep());
        assertEquals(2, rules.stream().count(), "security-service has exactly these two rules");
    }

    @Test
    void theRemovedRowCountersExistFromStartUp() {
        String scrape = Metrics.scrape();
        assertTrue(Metrics.find(scrape, REMOVED, "rule=\"audit_event\"").isPresent(), scrape);
        assertTrue(Metrics.find(scrape, REMOVED, "rule=\"encryption_error\"").isPresent(), scrape);
    }
}
