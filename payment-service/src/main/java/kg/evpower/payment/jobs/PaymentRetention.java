package kg.evpower.payment.jobs;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.retention.TableRetention;

/**
 * What payment-service forgets and when; the platform's {@code RetentionJob} runs these rules hourly on every replica
 * (batched, SKIP LOCKED) and logs one line per run. {@code evpower.retention.<rule>.keep} overrides a default keep.
 * <p>
 * Money records are never removed: journal entries and postings are immutable (database triggers refuse it), and holds
 * and top-ups are the history behind them. Of a top-up that closed without a credit only the QR payload is cleared.
 */
@ApplicationScoped
public class PaymentRetention {

    /** Stored answers of money-moving internal calls: a retry within a week is replayed, later ones are new calls. */
    @Produces
    @ApplicationScoped
    RetentionRule idempotencyRecords() {
        return TableRetention.of("idempotency_record", "created_at", Duration.ofDays(7));
    }

    /** Provider requests, responses and webhooks (masked): a year by default, never less than 90 days. */
    @Produces
    @ApplicationScoped
    RetentionRule paymentAudit() {
        return TableRetention.of("payment_audit", "created_at", Duration.ofDays(365)).atLeast(Duration.ofDays(90));
    }

    /** QR payloads of top-ups that ended CANCELED, EXPIRED or FAILED without a credit, 30 days after they closed. */
    @Produces
    @ApplicationScoped
    RetentionRule topupQrCodes() {
        return new TopupQrRetention(Duration.ofDays(30));
    }
}
