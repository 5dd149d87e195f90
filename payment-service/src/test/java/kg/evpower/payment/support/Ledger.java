package kg.evpower.payment.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.payment.service.LedgerService;
import kg.evpower.payment.service.LedgerService.Posting;
import kg.evpower.platform.testing.Reactive;
import io.vertx.core.Vertx;

/** Test access to the ledger: funding a wallet directly and checking the invariants against the journal. */
public final class Ledger {

    private Ledger() {
    }

    /** Credits {@code amount} tyiyn to the client's wallet from O!Dengi clearing, as a paid top-up would. */
    public static void fund(Vertx vertx, LedgerService ledger, String clientId, long amount) {
        Reactive.inTransaction(vertx, () -> ledger.lockClient(clientId).chain(accounts ->
                ledger.systemAccount(LedgerService.CLEARING_ODENGI).chain(clearing -> ledger.post("TEST_FUND",
                        UUID.randomUUID().toString(), clientId, "test funding",
                        List.of(new Posting(clearing, 'D', amount), new Posting(accounts.walletId(), 'C', amount))))));
    }

    public static long query(Pool pool, String sql, Object... params) {
        Row row = pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next();
        Object v = row.getValue(0);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** Materialised balance of one client account (WALLET, HOLD, RECEIVABLE), 0 when it does not exist. */
    public static long balance(Pool pool, String clientId, String kind) {
        return query(pool, "SELECT coalesce(max(balance), 0) FROM account WHERE client_id = $1 AND kind = $2", clientId, kind);
    }

    /** Asserts the ledger invariants for the client and the whole ledger. */
    public static void assertInvariants(Pool pool, String clientId) {
        for (String kind : List.of("WALLET", "HOLD", "RECEIVABLE")) {
            long materialised = balance(pool, clientId, kind);
            long derived = query(pool, "SELECT coalesce(sum(CASE p.direction WHEN 'C' THEN p.amount ELSE -p.amount END), 0) "
                    + "FROM posting p JOIN account a ON a.id = p.account_id WHERE a.client_id = $1 AND a.kind = $2", clientId, kind);
            assertEquals(derived, materialised, kind + " of " + clientId + ": materialised balance = credits - debits");
        }
        assertTrue(balance(pool, clientId, "WALLET") >= 0, "wallet never negative");
        assertTrue(balance(pool, clientId, "HOLD") >= 0, "hold never negative");
        assertEquals(balance(pool, clientId, "HOLD"),
                query(pool, "SELECT coalesce(sum(amount), 0) FROM hold WHERE client_id = $1 AND status = 'HELD'", clientId),
                "the hold account holds exactly the open holds");
        assertEquals(0, query(pool, "SELECT coalesce(sum(CASE direction WHEN 'C' THEN amount ELSE -amount END), 0) FROM posting"),
                "all accounts sum to zero");
        assertEquals(0, query(pool, "SELECT count(*) FROM (SELECT entry_id FROM posting GROUP BY entry_id "
                + "HAVING sum(CASE direction WHEN 'C' THEN amount ELSE -amount END) <> 0) unbalanced"), "every entry balanced");
    }
}
