package kg.evpower.payment.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.domain.WalletDtos.HoldCaptured;
import kg.evpower.payment.domain.WalletDtos.HoldCapturedEvent;
import kg.evpower.payment.domain.WalletDtos.HoldPlaced;
import kg.evpower.payment.domain.WalletDtos.HoldPlacedEvent;
import kg.evpower.payment.domain.WalletDtos.HoldReleased;
import kg.evpower.payment.domain.WalletDtos.HoldReleasedEvent;
import kg.evpower.payment.domain.WalletDtos.Wallet;
import kg.evpower.payment.service.LedgerService.ClientAccounts;
import kg.evpower.payment.service.LedgerService.Posting;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.problem.ProblemException;

/**
 * Wallets and holds for charging sessions. Lock order in every transaction: idempotency key, then the hold row, then
 * the client's accounts in id order.
 */
@ApplicationScoped
public class WalletService {

    private final LedgerService ledger;
    private final Idempotency idempotency;
    private final Outbox outbox;
    private final PaymentConfig config;

    WalletService(LedgerService ledger, Idempotency idempotency, Outbox outbox, PaymentConfig config) {
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.outbox = outbox;
        this.config = config;
    }

    @WithSession
    public Uni<Wallet> wallet(String clientId) {
        return ledger.read(clientId).map(WalletService::toWallet);
    }

    static Wallet toWallet(ClientAccounts a) {
        return new Wallet(a.clientId(), a.wallet() + a.held(), a.held(), a.wallet());
    }

    @WithTransaction
    public Uni<HoldPlaced> placeHold(String clientId, String sessionId, long amount, String key) {
        String fingerprint = clientId + "\n" + sessionId + "\n" + amount;
        return idempotency.claim("hold.place:" + clientId, key, fingerprint, HoldPlaced.class).chain(replay -> {
            if (replay != null) {
                return Uni.createFrom().item(replay);
            }
            return ledger.lockClient(clientId).chain(accounts -> {
                if (accounts.wallet() < amount) {
                    return Uni.createFrom().failure(new InsufficientBalanceException(accounts.wallet()));
                }
                UUID holdId = UUID.randomUUID();
                return Db.update("INSERT INTO hold (id, client_id, session_id, amount, status) VALUES (?1, ?2, ?3, ?4, 'HELD')",
                                holdId, clientId, sessionId, amount)
                        .chain(() -> ledger.post("HOLD_PLACE", holdId.toString(), clientId, "hold for session " + sessionId,
                                List.of(new Posting(accounts.walletId(), 'D', amount),
                                        new Posting(accounts.holdId(), 'C', amount))))
                        .chain(() -> outbox.append(config.stream(), "payment.hold.placed", clientId,
                                new HoldPlacedEvent(holdId.toString(), clientId, sessionId, amount)))
                        .chain(() -> idempotency.complete("hold.place:" + clientId, key,
                                new HoldPlaced(holdId.toString(), clientId, sessionId, amount, "HELD")));
            });
        });
    }

    private record OpenHold(UUID id, String clientId, String sessionId, long amount) {
    }

    private Uni<OpenHold> lockOpenHold(String holdId) {
        UUID id;
        try {
            id = UUID.fromString(holdId);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ProblemException.notFound("HOLD_NOT_FOUND", "No hold has this id."));
        }
        return Db.row("SELECT client_id, session_id, amount, status FROM hold WHERE id = ?1 FOR UPDATE", id).map(row -> {
            if (row == null) {
                throw ProblemException.notFound("HOLD_NOT_FOUND", "No hold has this id.");
            }
            if (!"HELD".equals(row[3])) {
                throw ProblemException.conflict("HOLD_NOT_OPEN", "The hold is " + row[3] + " already.");
            }
            return new OpenHold(id, (String) row[0], (String) row[1], Db.asLong(row[2]));
        });
    }

    /**
     * Takes the final cost: up to the hold from the hold, any excess from the available balance, and what is still
     * missing as a receivable (never a negative balance); the rest of the hold goes back to the wallet.
     */
    @WithTransaction
    public Uni<HoldCaptured> capture(String holdId, long amount, String key) {
        String fingerprint = holdId + "\n" + amount;
        return idempotency.claim("hold.capture:" + holdId, key, fingerprint, HoldCaptured.class).chain(replay -> {
            if (replay != null) {
                return Uni.createFrom().item(replay);
            }
            return lockOpenHold(holdId).chain(hold -> ledger.lockClient(hold.clientId()).chain(accounts ->
                    ledger.systemAccount(LedgerService.REVENUE).chain(revenue -> {
                        long fromHold = Math.min(amount, hold.amount());
                        long released = hold.amount() - fromHold;
                        long excess = amount - fromHold;
                        long fromWallet = Math.min(excess, accounts.wallet());
                        long receivable = excess - fromWallet;
                        List<Posting> postings = new ArrayList<>();
                        postings.add(new Posting(accounts.holdId(), 'D', hold.amount()));
                        postings.add(new Posting(revenue, 'C', fromHold + fromWallet + receivable));
                        postings.add(new Posting(accounts.walletId(), 'C', released));
                        postings.add(new Posting(accounts.walletId(), 'D', fromWallet));
                        postings.add(new Posting(accounts.receivableId(), 'D', receivable));
                        long captured = fromHold + fromWallet;
                        return ledger.post("HOLD_CAPTURE", holdId, hold.clientId(), "session " + hold.sessionId(),
                                        merge(postings))
                                .chain(() -> Db.update("UPDATE hold SET status = 'CAPTURED', captured = ?2, released = ?3, "
                                        + "receivable = ?4, closed_at = now() WHERE id = ?1", hold.id(), captured, released,
                                        receivable))
                                .chain(() -> outbox.append(config.stream(), "payment.hold.captured", hold.clientId(),
                                        new HoldCapturedEvent(holdId, hold.clientId(), hold.sessionId(), captured, released,
                                                receivable)))
                                .chain(() -> idempotency.complete("hold.capture:" + holdId, key,
                                        new HoldCaptured(holdId, "CAPTURED", captured, released, receivable)));
                    })));
        });
    }

    /** Nets postings on the same account and side (a capture may credit and debit the wallet in one entry). */
    private static List<Posting> merge(List<Posting> postings) {
        java.util.Map<Long, Long> net = new java.util.LinkedHashMap<>();
        for (Posting p : postings) {
            net.merge(p.accountId(), p.direction() == 'C' ? p.amount() : -p.amount(), Long::sum);
        }
        List<Posting> merged = new ArrayList<>();
        net.forEach((account, value) -> {
            if (value != 0) {
                merged.add(new Posting(account, value > 0 ? 'C' : 'D', Math.abs(value)));
            }
        });
        return merged;
    }

    @WithTransaction
    public Uni<HoldReleased> release(String holdId, String key) {
        return idempotency.claim("hold.release:" + holdId, key, holdId, HoldReleased.class).chain(replay -> {
            if (replay != null) {
                return Uni.createFrom().item(replay);
            }
            return lockOpenHold(holdId).chain(hold -> ledger.lockClient(hold.clientId()).chain(accounts ->
                    ledger.post("HOLD_RELEASE", holdId, hold.clientId(), "session " + hold.sessionId(),
                                    List.of(new Posting(accounts.holdId(), 'D', hold.amount()),
                                            new Posting(accounts.walletId(), 'C', hold.amount())))
                            .chain(() -> Db.update("UPDATE hold SET status = 'RELEASED', released = ?2, closed_at = now() "
                                    + "WHERE id = ?1", hold.id(), hold.amount()))
                            .chain(() -> outbox.append(config.stream(), "payment.hold.released", hold.clientId(),
                                    new HoldReleasedEvent(holdId, hold.clientId(), hold.sessionId(), hold.amount())))
                            .chain(() -> idempotency.complete("hold.release:" + holdId, key,
                                    new HoldReleased(holdId, "RELEASED", hold.amount())))));
        });
    }
}
