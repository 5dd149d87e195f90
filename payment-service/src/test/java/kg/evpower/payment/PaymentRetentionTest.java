package kg.evpower.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.payment.support.Ledger;
import kg.evpower.payment.support.LogCapture;
import kg.evpower.platform.retention.RetentionJob;
import kg.evpower.platform.retention.RetentionRule;

/** The retention rules of payment-service against the real database: what goes, what stays, the ledger untouched. */
@QuarkusTest
class PaymentRetentionTest {

    private static final List<String> RULES = List.of("idempotency_record", "payment_audit", "topup_qr_code");

    @Inject
    RetentionJob job;

    @Inject
    Instance<RetentionRule> rules;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Test
    void oldRowsGoAndEverythingElseStays() {
        String p = "ret-" + UUID.randomUUID();
        runAll(); // whatever other tests left behind that is due goes first, so the counts below are exact
        long oldTopupEntry = oldApprovedTopup(p);
        oldHold(p);

        // idempotency_record: 5 older than 7 days go; 6 days old and new stay
        sql("INSERT INTO idempotency_record (scope, idem_key, request_hash, http_status, response, created_at) "
                + "SELECT $1, 'old-' || g, repeat('a', 64), 200, '{}', now() - interval '8 days' FROM generate_series(1, 5) g", p);
        sql("INSERT INTO idempotency_record (scope, idem_key, request_hash, created_at) VALUES "
                + "($1, 'six-days', repeat('a', 64), now() - interval '6 days'), ($1, 'new', repeat('a', 64), now())", p);
        // payment_audit: 3 older than a year go; 100 days old (past the 90-day minimum, within the year) and new stay
        sql("INSERT INTO payment_audit (created_at, provider, direction, operation, outcome, correlation_id) "
                + "SELECT now() - interval '366 days', 'ODENGI', 'OUT', 'old-' || g, 'ok', $1 FROM generate_series(1, 3) g", p);
        sql("INSERT INTO payment_audit (created_at, provider, direction, operation, outcome, correlation_id) VALUES "
                + "(now() - interval '100 days', 'ODENGI', 'IN', 'hundred-days', 'ok', $1), "
                + "(now(), 'ODENGI', 'IN', 'new', 'ok', $1)", p);
        // topup: QR payloads of uncredited closed top-ups closed over 30 days ago are cleared, nothing else
        topup(p, "canceled-old", "CANCELED", "QR-1", 31);
        topup(p, "expired-old", "EXPIRED", "QR-2", 40);
        topup(p, "failed-old", "FAILED", "QR-3", 31);
        topup(p, "expired-old-empty", "EXPIRED", "", 40);
        topup(p, "canceled-recent", "CANCELED", "QR-4", 29);
        topup(p, "processing-old", "PROCESSING", "QR-5", null);

        Map<String, Long> ledgerBefore = ledgerCounts();
        Map<String, Double> countersBefore = counters();
        Map<String, Long> removed;
        try (LogCapture logs = LogCapture.open()) {
            removed = runAll();
            assertTrue(logs.lines.stream().anyMatch(line -> line.contains("Retention removed")
                    && line.contains("idempotency_record=5") && line.contains("payment_audit=3")
                    && line.contains("topup_qr_code=3")), "one log line with what each rule removed: " + logs.lines);
        }

        assertEquals(Map.of("idempotency_record", 5L, "payment_audit", 3L, "topup_qr_code", 3L), removed);
        assertEquals(List.of("new", "six-days"),
                strings("SELECT idem_key FROM idempotency_record WHERE scope = $1 ORDER BY idem_key COLLATE \"C\"", p));
        assertEquals(List.of("hundred-days", "new"),
                strings("SELECT operation FROM payment_audit WHERE correlation_id = $1 ORDER BY operation COLLATE \"C\"", p));
        assertEquals(List.of("approved-old=QR-A", "canceled-old=-", "canceled-recent=QR-4", "expired-old=-",
                        "expired-old-empty=", "failed-old=-", "processing-old=QR-5"),
                strings("SELECT substr(invoice_id, length($1) + 2) || '=' || coalesce(qr_code, '-') FROM topup "
                        + "WHERE client_id = $1 ORDER BY invoice_id COLLATE \"C\"", p));
        // every top-up row is still there, as is the status of each
        assertEquals(7, Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1", p));
        assertEquals("APPROVED", strings("SELECT status FROM topup WHERE invoice_id = $1", p + "-approved-old").get(0));
        // the ledger is untouched: entries, postings, holds and the old credit with its balance
        assertEquals(ledgerBefore, ledgerCounts());
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM journal_entry WHERE id = $1", oldTopupEntry));
        assertEquals(2, Ledger.query(pool, "SELECT count(*) FROM posting WHERE entry_id = $1", oldTopupEntry));
        assertEquals(100, Ledger.balance(pool, p, "WALLET"));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM hold WHERE client_id = $1", p));
        Ledger.assertInvariants(pool, p);
        // counted per rule
        Map<String, Double> countersAfter = counters();
        assertEquals(5.0, countersAfter.get("idempotency_record") - countersBefore.get("idempotency_record"));
        assertEquals(3.0, countersAfter.get("payment_audit") - countersBefore.get("payment_audit"));
        assertEquals(3.0, countersAfter.get("topup_qr_code") - countersBefore.get("topup_qr_code"));

        // a second run finds nothing more
        assertEquals(Map.of("idempotency_record", 0L, "payment_audit", 0L, "topup_qr_code", 0L), runAll());
        assertEquals(ledgerBefore, ledgerCounts());
    }

    @Test
    void defaultKeepsAndTheAuditMinimum() {
        Map<String, RetentionRule> byName = new java.util.HashMap<>();
        rules.forEach(rule -> byName.put(rule.name(), rule));
        assertEquals(RULES, byName.keySet().stream().sorted().toList());
        assertEquals(Duration.ofDays(7), job.keep(byName.get("idempotency_record")));
        assertEquals(Duration.ofDays(365), job.keep(byName.get("payment_audit")));
        assertEquals(Duration.ofDays(90), byName.get("payment_audit").minimumKeep());
        assertEquals(Duration.ofDays(30), job.keep(byName.get("topup_qr_code")));
    }

    /** A top-up credited 400 days ago, with its journal entry and postings from then; the entry's id. */
    private long oldApprovedTopup(String p) {
        String invoice = p + "-approved-old";
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO account (kind, client_id) VALUES ('WALLET', $1)")
                        .execute(Tuple.of(p))
                        .chain(() -> tx.preparedQuery("INSERT INTO journal_entry (kind, reference, client_id, created_at) "
                                + "VALUES ('TOPUP', $1, $2, now() - interval '400 days') RETURNING id").execute(Tuple.of(invoice, p)))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .call(entry -> tx.preparedQuery("INSERT INTO posting (entry_id, account_id, direction, amount) "
                                + "SELECT $1::bigint, id, 'D', 100 FROM account WHERE code = 'CLEARING_ODENGI' UNION ALL "
                                + "SELECT $1::bigint, id, 'C', 100 FROM account WHERE client_id = $2 AND kind = 'WALLET'")
                                .execute(Tuple.of(entry, p)))
                        .call(entry -> tx.preparedQuery("INSERT INTO topup (invoice_id, order_id, client_id, provider, "
                                + "requested_amount, paid_amount, status, qr_code, created_at, qr_expires_at, invoice_expires_at, "
                                + "paid_at, completed_at, credited_entry_id) VALUES ($1, $1, $2, 'ODENGI', 100, 100, 'APPROVED', "
                                + "'QR-A', now() - interval '400 days', now() - interval '400 days', now() - interval '400 days', "
                                + "now() - interval '400 days', now() - interval '400 days', $3)").execute(Tuple.of(invoice, p, entry))))
                .await().atMost(Duration.ofSeconds(10));
    }

    /** A hold captured and closed 400 days ago (no money moves: only the row is under test). */
    private void oldHold(String p) {
        sql("INSERT INTO hold (id, client_id, session_id, amount, status, captured, created_at, closed_at) VALUES "
                + "(gen_random_uuid(), $1, $1, 100, 'CAPTURED', 100, now() - interval '400 days', now() - interval '400 days')", p);
    }

    private void topup(String p, String name, String status, String qr, Integer closedDaysAgo) {
        sql("INSERT INTO topup (invoice_id, order_id, client_id, provider, requested_amount, status, qr_code, created_at, "
                + "qr_expires_at, invoice_expires_at, completed_at) VALUES ($1, $1, $2, 'ODENGI', 100, $3, $4, "
                + "now() - interval '60 days', now() - interval '60 days', now() - interval '60 days', "
                + "now() - make_interval(days => $5))", p + "-" + name, p, status, qr, closedDaysAgo);
    }

    private Map<String, Long> ledgerCounts() {
        return Map.of("journal_entry", Ledger.query(pool, "SELECT count(*) FROM journal_entry"),
                "posting", Ledger.query(pool, "SELECT count(*) FROM posting"),
                "hold", Ledger.query(pool, "SELECT count(*) FROM hold"),
                "topup", Ledger.query(pool, "SELECT count(*) FROM topup"),
                "account_balances", Ledger.query(pool, "SELECT coalesce(sum(abs(balance)), 0) FROM account"));
    }

    private Map<String, Double> counters() {
        Map<String, Double> values = new java.util.HashMap<>();
        for (String rule : RULES) {
            values.put(rule, registry.get("evpower.retention.removed.rows").tag("rule", rule).counter().count());
        }
        return values;
    }

    private Map<String, Long> runAll() {
        return job.runAll().await().atMost(Duration.ofSeconds(30));
    }

    private List<String> strings(String query, Object... params) {
        return pool.preparedQuery(query).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10)).stream()
                .map((Row row) -> row.getString(0)).toList();
    }

    private void sql(String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }
}
