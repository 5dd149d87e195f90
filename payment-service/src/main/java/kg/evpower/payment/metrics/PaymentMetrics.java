package kg.evpower.payment.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The payment service's own meters, registered at start-up with every known tag value so they are on
 * {@code /q/metrics} (at 0) before the first event:
 * <ul>
 * <li>{@code evpower_payment_webhooks_total{provider=odengi|obank, outcome}}: every answered provider notification, by
 * the outcome also written to the audit ({@code received}, {@code payment_not_found}, {@code rate_limited},
 * {@code ip_not_allowed}, {@code invalid_signature}, {@code malformed}, {@code missing_timestamp},
 * {@code stale_timestamp}, {@code provider_unavailable}, {@code not_available});</li>
 * <li>{@code evpower_ledger_operations_total{operation, outcome}}: journal entries the ledger was asked to book —
 * {@code posted}, {@code duplicate} (kind and reference booked before), {@code rejected} (unbalanced),
 * {@code failed} (database error). Counted when the entry is written in the caller's transaction;</li>
 * <li>{@code evpower_job_runs_total{job="topup_reconciliation", outcome=success|failure}}.</li>
 * </ul>
 */
@Startup
@ApplicationScoped
public class PaymentMetrics {

    public static final List<String> PROVIDERS = List.of("odengi", "obank");
    public static final List<String> WEBHOOK_OUTCOMES = List.of("received", "payment_not_found", "rate_limited",
            "ip_not_allowed", "invalid_signature", "malformed", "missing_timestamp", "stale_timestamp",
            "provider_unavailable", "not_available");
    public static final List<String> LEDGER_OPERATIONS = List.of("topup", "receivable_settle", "hold_place",
            "hold_capture", "hold_release");
    public static final List<String> LEDGER_OUTCOMES = List.of("posted", "duplicate", "rejected", "failed");
    public static final String JOB_TOPUP_RECONCILIATION = "topup_reconciliation";

    private final MeterRegistry registry;
    private final Map<String, Counter> webhooks = new ConcurrentHashMap<>();
    private final Map<String, Counter> ledger = new ConcurrentHashMap<>();
    private final Map<String, Counter> jobRuns = new ConcurrentHashMap<>();

    PaymentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String provider : PROVIDERS) {
            for (String outcome : WEBHOOK_OUTCOMES) {
                webhooks.put(provider + "/" + outcome, webhookCounter(provider, outcome));
            }
        }
        for (String operation : LEDGER_OPERATIONS) {
            for (String outcome : LEDGER_OUTCOMES) {
                ledger.put(operation + "/" + outcome, ledgerCounter(operation, outcome));
            }
        }
        for (String outcome : List.of("success", "failure")) {
            jobRuns.put(outcome, Counter.builder("evpower.job.runs").description("Scheduled job runs by outcome")
                    .tag("job", JOB_TOPUP_RECONCILIATION).tag("outcome", outcome).register(registry));
        }
    }

    private Counter webhookCounter(String provider, String outcome) {
        return Counter.builder("evpower.payment.webhooks").description("Provider payment notifications by outcome")
                .tag("provider", provider).tag("outcome", outcome).register(registry);
    }

    private Counter ledgerCounter(String operation, String outcome) {
        return Counter.builder("evpower.ledger.operations").description("Ledger journal entries by operation and outcome")
                .tag("operation", operation).tag("outcome", outcome).register(registry);
    }

    /** {@code provider} is the audit's provider (ODENGI, OBANK); an outcome not listed above is still counted. */
    public void webhook(String provider, String outcome) {
        String p = provider.toLowerCase(Locale.ROOT);
        webhooks.computeIfAbsent(p + "/" + outcome, k -> webhookCounter(p, outcome)).increment();
    }

    /** {@code kind} is the journal entry kind (TOPUP, HOLD_PLACE, …). */
    public void ledger(String kind, String outcome) {
        String operation = kind.toLowerCase(Locale.ROOT);
        ledger.computeIfAbsent(operation + "/" + outcome, k -> ledgerCounter(operation, outcome)).increment();
    }

    public void jobRun(boolean success) {
        jobRuns.get(success ? "success" : "failure").increment();
    }
}
