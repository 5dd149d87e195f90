package kg.evpower.payment.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.payment.client.ObankClient;
import kg.evpower.payment.client.ObankXml;
import kg.evpower.payment.client.OdengiClient.PaymentStatus;
import kg.evpower.payment.domain.Card;
import kg.evpower.payment.domain.TopupDtos.Topup;

/**
 * OBANK card and token payments. The top-up row is written (PROCESSING) before the bank is asked, then the bank's answer
 * goes through {@link TopupService#apply} — the same row lock, state machine and single {@code TOPUP} journal entry as
 * O!Dengi, so a payment confirmed by the answer, the notification and a status query is credited once.
 */
@ApplicationScoped
public class ObankService {

    private final ObankClient obank;
    private final TopupService topups;

    ObankService(ObankClient obank, TopupService topups) {
        this.obank = obank;
        this.topups = topups;
    }

    public Uni<Topup> payByCard(String clientId, long amount, Card card, String description) {
        String orderId = topups.newCardOrderId();
        return topups.insertCard(clientId, orderId, amount, description)
                .chain(topup -> obank.pay(orderId, clientId, amount, card))
                .chain(result -> apply(orderId, result, "card"));
    }

    public Uni<Topup> payByToken(String clientId, long amount, String token, String description) {
        String orderId = topups.newCardOrderId();
        return topups.insertCard(clientId, orderId, amount, description)
                .chain(topup -> obank.payWithToken(orderId, clientId, amount, token))
                .chain(result -> apply(orderId, result, "token"));
    }

    public Uni<ObankXml.Result> storeCard(String clientId, Card card) {
        return obank.storeCard(clientId, card);
    }

    /** Asks the bank for the payment's status and applies it (the notification's own content is never trusted). */
    public Uni<Topup> confirm(Topup topup, String source) {
        return obank.status(topup.orderId(), topup.clientId()).chain(result -> apply(topup.orderId(), result, source));
    }

    Uni<Topup> apply(String orderId, ObankXml.Result result, String source) {
        String providerStatus = "obank:" + result.code() + "/" + result.state();
        PaymentStatus status = result.paid() ? new PaymentStatus("PAID", providerStatus, result.amount())
                : result.declined() ? new PaymentStatus("FAILED", providerStatus, null)
                : new PaymentStatus("PENDING", providerStatus, null);
        return topups.apply(orderId, status, source, false);
    }
}
