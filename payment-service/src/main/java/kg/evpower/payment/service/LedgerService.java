package kg.evpower.payment.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.payment.metrics.PaymentMetrics;

/**
 * The double-entry ledger. Every method runs inside the caller's transaction. Client accounts are locked with
 * {@code SELECT ... FOR UPDATE} in ascending id order (the one lock order of the service, after the hold or top-up row
 * the operation is about), so concurrent movements neither overdraw nor deadlock; the posting trigger keeps the
 * materialised balance and the CHECK constraints are the last guard.
 */
@ApplicationScoped
public class LedgerService {

    public static final String WALLET = "WALLET";
    public static final String HOLD = "HOLD";
    public static final String RECEIVABLE = "RECEIVABLE";

    public static final String CLEARING_ODENGI = "CLEARING_ODENGI";
    public static final String CLEARING_OBANK = "CLEARING_OBANK";
    public static final String REVENUE = "REVENUE";

    /** A debit (D) or credit (C) of {@code amount} > 0 tyiyn on an account. */
    public record Posting(long accountId, char direction, long amount) {
    }

    /** The locked accounts of one client: ids and balances (credits - debits) at lock time. */
    public record ClientAccounts(String clientId, long walletId, long wallet, long holdId, long held, long receivableId,
            long receivable) {
    }

    private final Map<String, Long> systemIds = new ConcurrentHashMap<>();
    private final PaymentMetrics metrics;

    LedgerService(PaymentMetrics metrics) {
        this.metrics = metrics;
    }

    /** Creates the client's accounts if missing (idempotent) and locks them in id order. */
    public Uni<ClientAccounts> lockClient(String clientId) {
        return Db.update("INSERT INTO account (kind, client_id) VALUES ('WALLET', ?1), ('HOLD', ?1), ('RECEIVABLE', ?1) "
                        + "ON CONFLICT (client_id, kind) WHERE client_id IS NOT NULL DO NOTHING", clientId)
                .chain(() -> Db.rows("SELECT id, kind, balance FROM account WHERE client_id = ?1 ORDER BY id FOR UPDATE",
                        clientId))
                .map(rows -> toAccounts(clientId, rows));
    }

    /** The client's balances without locking (zeros for a client without accounts). */
    public Uni<ClientAccounts> read(String clientId) {
        return Db.rows("SELECT id, kind, balance FROM account WHERE client_id = ?1 ORDER BY id", clientId)
                .map(rows -> toAccounts(clientId, rows));
    }

    private static ClientAccounts toAccounts(String clientId, List<Object[]> rows) {
        long walletId = 0, wallet = 0, holdId = 0, held = 0, receivableId = 0, receivable = 0;
        for (Object[] row : rows) {
            long id = Db.asLong(row[0]);
            long balance = Db.asLong(row[2]);
            switch ((String) row[1]) {
                case WALLET -> { walletId = id; wallet = balance; }
                case HOLD -> { holdId = id; held = balance; }
                case RECEIVABLE -> { receivableId = id; receivable = balance; }
                default -> { }
            }
        }
        return new ClientAccounts(clientId, walletId, wallet, holdId, held, receivableId, receivable);
    }

    public Uni<Long> systemAccount(String code) {
        Long known = systemIds.get(code);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return Db.row("SELECT id FROM account WHERE code = ?1", code).map(row -> {
            if (row == null) {
                throw new IllegalStateException("system account " + code + " is missing");
            }
            long id = Db.asLong(row[0]);
            systemIds.put(code, id);
            return id;
        });
    }

    /**
     * Books one balanced entry. Returns its id, or {@code null} when an entry of this kind and reference exists already
     * (the movement was booked before: the caller must not book it again).
     */
    public Uni<Long> post(String kind, String reference, String clientId, String description, List<Posting> postings) {
        List<Posting> nonZero = postings.stream().filter(p -> p.amount() != 0).toList();
        long debits = nonZero.stream().filter(p -> p.direction() == 'D').mapToLong(Posting::amount).sum();
        long credits = nonZero.stream().filter(p -> p.direction() == 'C').mapToLong(Posting::amount).sum();
        if (debits != credits || nonZero.size() < 2 || nonZero.stream().anyMatch(p -> p.amount() < 0)) {
            metrics.ledger(kind, "rejected");
            return Uni.createFrom().failure(new IllegalArgumentException("unbalanced journal entry " + kind));
        }
        return Db.rows("INSERT INTO journal_entry (kind, reference, client_id, description) VALUES (?1, ?2, ?3, ?4) "
                        + "ON CONFLICT (kind, reference) DO NOTHING RETURNING id",
                        kind, reference, clientId, description == null ? "" : description)
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().nullItem();
                    }
                    long entryId = Db.asLong(rows.get(0)[0]);
                    StringBuilder sql = new StringBuilder("INSERT INTO posting (entry_id, account_id, direction, amount) VALUES ");
                    List<Object> params = new ArrayList<>();
                    for (int i = 0; i < nonZero.size(); i++) {
                        Posting p = nonZero.get(i);
                        int base = i * 4;
                        sql.append(i == 0 ? "" : ", ").append("(?").append(base + 1).append(", ?").append(base + 2)
                                .append(", ?").append(base + 3).append(", ?").append(base + 4).append(')');
                        params.add(entryId);
                        params.add(p.accountId());
                        params.add(String.valueOf(p.direction()));
                        params.add(p.amount());
                    }
                    return Db.update(sql.toString(), params.toArray()).replaceWith(entryId);
                })
                .invoke(entryId -> metrics.ledger(kind, entryId == null ? "duplicate" : "posted"))
                .onFailure().invoke(f -> metrics.ledger(kind, "failed"));
    }
}
