package kg.evpower.payment.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.client.OdengiClient;
import kg.evpower.payment.client.OdengiClient.PaymentStatus;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.domain.TopupDtos.Movement;
import kg.evpower.payment.domain.TopupDtos.ReceivableSettledEvent;
import kg.evpower.payment.domain.TopupDtos.Topup;
import kg.evpower.payment.domain.TopupDtos.TopupClosedEvent;
import kg.evpower.payment.domain.TopupDtos.TopupPaidEvent;
import kg.evpower.payment.service.LedgerService.Posting;
import kg.evpower.platform.event.Outbox;

/**
 * Top-ups through O!Dengi. Provider calls happen outside database transactions; their results are applied by
 * {@link #apply} under the top-up's row lock, as a state machine: PROCESSING -> APPROVED | CANCELED | EXPIRED | FAILED,
 * and CANCELED/EXPIRED/FAILED -> APPROVED when the provider confirms a payment late. APPROVED is final; the credit is one
 * journal entry (TOPUP, invoice id), unique in the database, so whatever confirms a payment how often, it is credited once.
 */
@ApplicationScoped
public class TopupService {

    static final String COLUMNS = "id, invoice_id, order_id, client_id, provider, requested_amount, paid_amount, status, "
            + "description, qr_code, qr_code_url, app_link, created_at, qr_expires_at, invoice_expires_at, paid_at, "
            + "completed_at, last_status_check_at";

    private final OdengiClient odengi;
    private final LedgerService ledger;
    private final Outbox outbox;
    private final PaymentConfig config;
    private final SecureRandom random = new SecureRandom();

    TopupService(OdengiClient odengi, LedgerService ledger, Outbox outbox, PaymentConfig config) {
        this.odengi = odengi;
        this.ledger = ledger;
        this.outbox = outbox;
        this.config = config;
    }

    /** Unique, unguessable: 128 random bits, nothing derived from the client or the clock. */
    String newOrderId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "qr_" + HexFormat.of().formatHex(bytes);
    }

    /** Creates the provider invoice, then records it. Provider failures propagate (nothing is recorded). */
    public Uni<Topup> createQr(String clientId, long amount, String description) {
        String orderId = newOrderId();
        String desc = description == null || description.isBlank() ? "EvPower balance top-up" : description;
        return odengi.createInvoice(orderId, amount, desc, clientId)
                .chain(invoice -> insert(clientId, orderId, amount, desc, invoice));
    }

    @WithTransaction
    Uni<Topup> insert(String clientId, String orderId, long amount, String description, OdengiClient.Invoice invoice) {
        long qr = config.odengi().qrLifetime().toSeconds();
        long inv = config.odengi().invoiceLifetime().toSeconds();
        long recheck = config.jobs().recheckDelay().toSeconds();
        return Db.rows("INSERT INTO topup (invoice_id, order_id, client_id, provider, requested_amount, status, description, "
                        + "qr_code, qr_code_url, app_link, qr_expires_at, invoice_expires_at, next_check_at) "
                        + "VALUES (?1, ?2, ?3, 'ODENGI', ?4, 'PROCESSING', ?5, ?6, ?7, ?8, now() + make_interval(secs => CAST(?9 AS bigint)), "
                        + "now() + make_interval(secs => CAST(?10 AS bigint)), now() + make_interval(secs => CAST(?11 AS bigint))) RETURNING " + COLUMNS,
                        invoice.invoiceId(), orderId, clientId, amount, description, nz(invoice.qr()), nz(invoice.qrUrl()),
                        nz(invoice.appLink()), qr, inv, recheck)
                .map(rows -> toTopup(rows.get(0)));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @WithSession
    public Uni<Topup> find(String invoiceId) {
        return Db.row("SELECT " + COLUMNS + " FROM topup WHERE invoice_id = ?1", invoiceId)
                .map(row -> row == null ? null : toTopup(row));
    }

    /** Counts a webhook delivery for the invoice (audit of how often the provider called). */
    @WithTransaction
    public Uni<Integer> webhookSeen(String invoiceId) {
        return Db.update("UPDATE topup SET webhook_count = webhook_count + 1, last_webhook_at = now() WHERE invoice_id = ?1",
                invoiceId);
    }

    /** Asks the provider now and applies the answer; a provider failure propagates and changes nothing. */
    public Uni<Topup> checkWithProvider(Topup topup, String source) {
        return odengi.statusPayment(topup.invoiceId(), topup.orderId())
                .chain(status -> apply(topup.invoiceId(), status, source, false));
    }

    /** Cancels at the provider, then applies what the provider says (a payment that won the race is credited). */
    public Uni<Topup> cancel(Topup topup, boolean expiry) {
        return odengi.cancelInvoice(topup.invoiceId())
                .chain(status -> apply(topup.invoiceId(), status, expiry ? "expiry" : "cancel", true));
    }

    /**
     * Applies a provider status under the row lock. {@code closing}: the caller cancelled the invoice (user cancel or
     * expiry), so a still-pending answer closes it too.
     */
    @WithTransaction
    public Uni<Topup> apply(String invoiceId, PaymentStatus status, String source, boolean closing) {
        return Db.row("SELECT " + COLUMNS + " FROM topup WHERE invoice_id = ?1 FOR UPDATE", invoiceId).chain(row -> {
            if (row == null) {
                return Uni.createFrom().nullItem();
            }
            Topup topup = toTopup(row);
            if ("APPROVED".equals(topup.status())) {
                return Uni.createFrom().item(topup);
            }
            if (status.paid()) {
                return credit(topup, status, source);
            }
            boolean processing = "PROCESSING".equals(topup.status());
            boolean failed = "FAILED".equals(status.state());
            if (processing && ("CANCELED".equals(status.state()) || failed || closing)) {
                boolean expired = "expiry".equals(source);
                String next = expired ? "EXPIRED" : failed ? "FAILED" : "CANCELED";
                return Db.update("UPDATE topup SET status = ?2, provider_status = ?3, completed_at = now(), next_check_at = NULL, "
                                + "last_status_check_at = now(), status_check_count = status_check_count + 1 WHERE invoice_id = ?1",
                                invoiceId, next, nz(status.providerStatus()))
                        .chain(() -> outbox.append(config.stream(), expired ? "payment.topup.expired" : "payment.topup.failed",
                                topup.clientId(), new TopupClosedEvent(topup.clientId(), invoiceId)))
                        .chain(() -> reload(invoiceId));
            }
            return Db.update("UPDATE topup SET provider_status = ?2, last_status_check_at = now(), "
                            + "status_check_count = status_check_count + 1 WHERE invoice_id = ?1", invoiceId,
                            nz(status.providerStatus()))
                    .chain(() -> reload(invoiceId));
        });
    }

    private Uni<Topup> credit(Topup topup, PaymentStatus status, String source) {
        long amount = status.paidAmount() != null ? status.paidAmount() : topup.requestedAmount();
        boolean obank = "OBANK".equals(topup.provider());
        String clearingCode = obank ? LedgerService.CLEARING_OBANK : LedgerService.CLEARING_ODENGI;
        String label = obank ? "OBANK card top-up" : "O!Dengi top-up";
        return ledger.lockClient(topup.clientId()).chain(accounts -> ledger.systemAccount(clearingCode)
                .chain(clearing -> ledger.post("TOPUP", topup.invoiceId(), topup.clientId(), label + " (" + source + ")",
                        List.of(new Posting(clearing, 'D', amount), new Posting(accounts.walletId(), 'C', amount))))
                .chain(entryId -> {
                    if (entryId == null) {
                        // Booked already (cannot happen while the row says otherwise; the unique key is the last guard).
                        Log.warnf("top-up %s was booked already; not crediting again", topup.invoiceId());
                        return reload(topup.invoiceId());
                    }
                    if (!"PROCESSING".equals(topup.status())) {
                        Log.infof("late payment of top-up %s (was %s) credited via %s", topup.invoiceId(), topup.status(), source);
                    }
                    return Db.update("UPDATE topup SET status = 'APPROVED', paid_amount = ?2, provider_status = ?3, paid_at = now(), "
                                    + "completed_at = now(), next_check_at = NULL, credited_entry_id = ?4, last_status_check_at = now(), "
                                    + "status_check_count = status_check_count + 1 WHERE invoice_id = ?1",
                                    topup.invoiceId(), amount, nz(status.providerStatus()), entryId)
                            .chain(() -> outbox.append(config.stream(), "payment.topup.paid", topup.clientId(),
                                    new TopupPaidEvent(topup.clientId(), topup.invoiceId(), amount, topup.provider())))
                            .chain(() -> settleReceivable(accounts, topup.invoiceId(), amount))
                            .chain(() -> reload(topup.invoiceId()));
                }));
    }

    /**
     * A client with a receivable (a capture that exceeded hold + balance) pays it first from the credited amount: one
     * balanced entry {@code D WALLET / C RECEIVABLE} (RECEIVABLE_SETTLE, invoice id), in the credit's transaction, under
     * the same account locks. The receivable never becomes positive and the wallet never negative.
     */
    private Uni<Void> settleReceivable(LedgerService.ClientAccounts accounts, String invoiceId, long credited) {
        long owed = -accounts.receivable();
        long settle = Math.min(owed, credited);
        if (settle <= 0) {
            return Uni.createFrom().voidItem();
        }
        return ledger.post("RECEIVABLE_SETTLE", invoiceId, accounts.clientId(), "receivable paid from top-up " + invoiceId,
                        List.of(new Posting(accounts.walletId(), 'D', settle), new Posting(accounts.receivableId(), 'C', settle)))
                .chain(entryId -> entryId == null ? Uni.createFrom().voidItem()
                        : outbox.append(config.stream(), "payment.receivable.settled", accounts.clientId(),
                                new ReceivableSettledEvent(accounts.clientId(), invoiceId, settle, owed - settle)).replaceWithVoid());
    }

    /** Records an OBANK card or token payment before the bank is asked (no provider check is scheduled for it). */
    @WithTransaction
    public Uni<Topup> insertCard(String clientId, String orderId, long amount, String description) {
        long lifetime = config.odengi().invoiceLifetime().toSeconds();
        return Db.rows("INSERT INTO topup (invoice_id, order_id, client_id, provider, requested_amount, status, description, "
                        + "qr_expires_at, invoice_expires_at) VALUES (?1, ?1, ?2, 'OBANK', ?3, 'PROCESSING', ?4, "
                        + "now() + make_interval(secs => CAST(?5 AS bigint)), now() + make_interval(secs => CAST(?5 AS bigint))) RETURNING " + COLUMNS,
                        orderId, clientId, amount, description, lifetime)
                .map(rows -> toTopup(rows.get(0)));
    }

    /** Unique, unguessable order id of a card payment. */
    public String newCardOrderId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "card_" + HexFormat.of().formatHex(bytes);
    }

    private Uni<Topup> reload(String invoiceId) {
        return Db.row("SELECT " + COLUMNS + " FROM topup WHERE invoice_id = ?1", invoiceId).map(TopupService::toTopup);
    }

    /**
     * Claims open invoices due for a provider check, safe with several replicas: {@code FOR UPDATE SKIP LOCKED}, and the
     * claim pushes {@code next_check_at} by the outage back-off in the same transaction, so no other replica takes them
     * and a crashed run is retried later.
     */
    @WithTransaction
    public Uni<List<Topup>> claimDue(int limit) {
        long backoff = config.jobs().outageBackoff().toSeconds();
        return Db.rows("UPDATE topup SET next_check_at = now() + make_interval(secs => CAST(?2 AS bigint)) WHERE id IN ("
                        + "SELECT id FROM topup WHERE status = 'PROCESSING' AND provider = 'ODENGI' AND next_check_at <= now() "
                        + "ORDER BY next_check_at LIMIT ?1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, limit, backoff)
                .map(rows -> rows.stream().map(TopupService::toTopup).toList());
    }

    /** Schedules the next routine check of a still-open invoice. */
    @WithTransaction
    public Uni<Integer> recheckLater(String invoiceId) {
        return Db.update("UPDATE topup SET next_check_at = now() + make_interval(secs => CAST(?2 AS bigint)) WHERE invoice_id = ?1 "
                + "AND status = 'PROCESSING'", invoiceId, config.jobs().recheckDelay().toSeconds());
    }

    /** Makes an open invoice due for the next job run (e.g. when a webhook could not be confirmed). */
    @WithTransaction
    public Uni<Integer> checkSoon(String invoiceId) {
        return Db.update("UPDATE topup SET next_check_at = now() WHERE invoice_id = ?1 AND status = 'PROCESSING'", invoiceId);
    }

    @WithSession
    public Uni<Instant> lastTopupAt(String clientId) {
        return Db.row("SELECT max(paid_at) FROM topup WHERE client_id = ?1 AND status = 'APPROVED'", clientId)
                .map(row -> row == null ? null : Db.asInstant(row[0]));
    }

    @WithSession
    public Uni<Long> totalSpent(String clientId) {
        return Db.row("SELECT coalesce(sum(captured), 0) FROM hold WHERE client_id = ?1", clientId)
                .map(row -> row == null ? 0L : Db.asLong(row[0]));
    }

    @WithSession
    public Uni<List<Movement>> history(String clientId, int limit, int offset) {
        return Db.rows("SELECT e.id, e.kind, e.reference, e.created_at, w.delta, "
                        + "sum(w.delta) OVER (ORDER BY e.id) AS balance_after, t.requested_amount, t.status, t.provider, t.completed_at "
                        + "FROM journal_entry e JOIN (SELECT p.entry_id, sum(CASE p.direction WHEN 'C' THEN p.amount ELSE -p.amount END) AS delta "
                        + "FROM posting p JOIN account a ON a.id = p.account_id WHERE a.client_id = ?1 AND a.kind = 'WALLET' "
                        + "GROUP BY p.entry_id) w ON w.entry_id = e.id "
                        + "LEFT JOIN topup t ON e.kind = 'TOPUP' AND t.invoice_id = e.reference "
                        + "ORDER BY e.id DESC LIMIT ?2 OFFSET ?3", clientId, limit, offset)
                .map(rows -> rows.stream().map(r -> new Movement(Db.asLong(r[0]), (String) r[1], (String) r[2],
                        Db.asInstant(r[3]), Db.asLong(r[4]), Db.asLong(r[5]), Db.asLongOrNull(r[6]), (String) r[7],
                        (String) r[8], Db.asInstant(r[9]))).toList());
    }

    @WithSession
    public Uni<Long> historyCount(String clientId) {
        return Db.row("SELECT count(DISTINCT p.entry_id) FROM posting p JOIN account a ON a.id = p.account_id "
                + "WHERE a.client_id = ?1 AND a.kind = 'WALLET'", clientId).map(r -> Db.asLong(r[0]));
    }

    static Topup toTopup(Object[] r) {
        return new Topup(Db.asLong(r[0]), (String) r[1], (String) r[2], (String) r[3], (String) r[4], Db.asLong(r[5]),
                Db.asLongOrNull(r[6]), (String) r[7], (String) r[8], empty(r[9]), empty(r[10]), empty(r[11]),
                Db.asInstant(r[12]), Db.asInstant(r[13]), Db.asInstant(r[14]), Db.asInstant(r[15]), Db.asInstant(r[16]),
                Db.asInstant(r[17]));
    }

    private static String empty(Object s) {
        return s == null || ((String) s).isEmpty() ? null : (String) s;
    }
}
