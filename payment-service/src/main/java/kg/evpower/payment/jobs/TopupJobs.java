package kg.evpower.payment.jobs;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.domain.TopupDtos.Topup;
import kg.evpower.payment.metrics.PaymentMetrics;
import kg.evpower.payment.service.TopupService;

/**
 * Reconciliation and expiry of O!Dengi invoices, safe with several replicas (claims with FOR UPDATE SKIP LOCKED). Each
 * open invoice due for a check is asked about; a paid one is credited, a cancelled one closed, an expired unpaid one
 * cancelled at the provider and marked EXPIRED (a payment that beats the cancel is credited). A provider outage leaves
 * the invoice claimed for the back-off, after which the next run catches up.
 */
@ApplicationScoped
public class TopupJobs {

    private final TopupService topups;
    private final PaymentConfig config;
    private final PaymentMetrics metrics;

    TopupJobs(TopupService topups, PaymentConfig config, PaymentMetrics metrics) {
        this.metrics = metrics;
        this.topups = topups;
        this.config = config;
    }

    @Scheduled(every = "${evpower.payment.jobs.every:15s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return config.jobs().enabled() ? runOnce().replaceWithVoid() : Uni.createFrom().voidItem();
    }

    /** One pass over the due invoices; returns how many were handled without a provider failure. */
    public Uni<Integer> runOnce() {
        return topups.claimDue(config.jobs().batchSize())
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(this::handle)
                .collect().asList()
                .map(results -> (int) results.stream().filter(Boolean::booleanValue).count())
                .invoke(() -> metrics.jobRun(true))
                .onFailure().invoke(f -> metrics.jobRun(false));
    }

    private Uni<Boolean> handle(Topup topup) {
        boolean expired = topup.invoiceExpiresAt().isBefore(Instant.now());
        Uni<Topup> work = topups.checkWithProvider(topup, "reconciliation").chain(after -> {
            if (!"PROCESSING".equals(after.status())) {
                return Uni.createFrom().item(after);
            }
            return expired ? topups.cancel(after, true)
                    : topups.recheckLater(after.invoiceId()).replaceWith(after);
        });
        return work.replaceWith(true).onFailure().recoverWithItem(f -> {
            Log.warnf("reconciliation of %s failed (%s); retried after the back-off", topup.invoiceId(),
                    f.getClass().getSimpleName());
            return false;
        });
    }
}
