package kg.evpower.payment.domain;

import java.time.Instant;

/** Top-up rows as the service layer hands them out, and the top-up events. */
public final class TopupDtos {

    private TopupDtos() {
    }

    public record Topup(long id, String invoiceId, String orderId, String clientId, String provider, long requestedAmount,
            Long paidAmount, String status, String description, String qrCode, String qrCodeUrl, String appLink,
            Instant createdAt, Instant qrExpiresAt, Instant invoiceExpiresAt, Instant paidAt, Instant completedAt,
            Instant lastStatusCheckAt) {
    }

    /** Event data of {@code payment.topup.paid}. */
    public record TopupPaidEvent(String clientId, String invoiceId, long amount, String provider) {
    }

    /** Event data of {@code payment.topup.failed} and {@code payment.topup.expired}. */
    public record TopupClosedEvent(String clientId, String invoiceId) {
    }

    /** Event data of {@code payment.receivable.settled}: a later top-up paid (part of) the client's receivable. */
    public record ReceivableSettledEvent(String clientId, String invoiceId, long amount, long remaining) {
    }

    /** One wallet movement for the history. */
    public record Movement(long entryId, String kind, String reference, Instant createdAt, long delta, long balanceAfter,
            Long requestedAmount, String topupStatus, String provider, Instant completedAt) {
    }
}
