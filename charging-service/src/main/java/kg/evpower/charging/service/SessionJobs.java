package kg.evpower.charging.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.client.GatewayClient;
import kg.evpower.charging.client.GatewayClient.CommandOutcome;
import kg.evpower.charging.client.PaymentClient;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.event.ChargingEvents;
import kg.evpower.charging.metrics.ChargingMetrics;
import kg.evpower.charging.repository.SessionRepository;

/**
 * Hanging sessions (A6.6), safe with any number of replicas: each step claims its rows with FOR UPDATE SKIP LOCKED in its
 * own transaction, so two replicas never work on the same session.
 */
@ApplicationScoped
public class SessionJobs {

    private final SessionRepository sessions;
    private final GatewayClient gateway;
    private final PaymentClient payment;
    private final Settlement settlement;
    private final SessionService sessionService;
    private final ChargingEvents events;
    private final ChargingConfig config;
    private final ChargingMetrics metrics;

    SessionJobs(SessionRepository sessions, GatewayClient gateway, PaymentClient payment, Settlement settlement,
            SessionService sessionService, ChargingEvents events, ChargingConfig config, ChargingMetrics metrics) {
        this.metrics = metrics;
        this.sessions = sessions;
        this.gateway = gateway;
        this.payment = payment;
        this.settlement = settlement;
        this.sessionService = sessionService;
        this.events = events;
        this.config = config;
    }

    @Scheduled(every = "${evpower.charging.jobs.interval:30m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.jobs().enabled()) {
            return Uni.createFrom().voidItem();
        }
        return runAll().onFailure().invoke(f -> Log.errorf(f, "Hanging-session job failed"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass of every step; the number of sessions acted on. */
    public Uni<Integer> runAll() {
        return steps().invoke(() -> metrics.jobRun(true)).onFailure().invoke(f -> metrics.jobRun(false));
    }

    /** Idempotency keys are removed by the retention job ({@link ChargingRetention}), not here. */
    private Uni<Integer> steps() {
        return stopOverdue().chain(a -> cancelNeverStarted().chain(b -> finishUnconfirmedStops()
                .chain(c -> releaseFailedHolds().map(d -> a + b + c + d))));
    }

    /** Charging longer than the maximum age: RemoteStop (settled by the StopTransaction, or now if offline). */
    public Uni<Integer> stopOverdue() {
        Instant cutoff = Instant.now().minus(config.jobs().maxSessionAge());
        return claimEach("status = 'CHARGING' AND COALESCE(transaction_started_at, created_at) < '" + cutoff + "'",
                s -> gateway.remoteStop(s.stationId, s.transactionId)
                        .onFailure().recoverWithItem(new CommandOutcome(599, "GATEWAY_UNAVAILABLE", null))
                        .chain(outcome -> sessionService.onStopOutcome(s, outcome, "max_duration")).replaceWithVoid());
    }

    /** Started in the app but the station never started a transaction: cancel and release the hold. */
    public Uni<Integer> cancelNeverStarted() {
        Instant cutoff = Instant.now().minus(config.jobs().startTimeout());
        return claimEach("status IN ('PENDING', 'STARTING') AND transaction_id IS NULL AND created_at < '" + cutoff + "'",
                s -> {
                    s.status = ChargingSession.FAILED;
                    s.failureCode = "no_transaction";
                    s.finalCost = 0L;
                    s.stoppedAt = Instant.now();
                    s.updatedAt = s.stoppedAt;
                    Uni<Void> release = s.holdId == null ? Uni.createFrom().voidItem()
                            : payment.release(s.holdId, s.id.toString()).invoke(r -> s.released = r.released())
                                    .onFailure().invoke(f -> Log.warnf("Release for %s retried next run: %s", s.id,
                                            f.toString()))
                                    .onFailure().recoverWithNull().replaceWithVoid();
                    if (s.holdId == null) {
                        s.released = 0L;
                    }
                    return release.chain(() -> events.append(ChargingEvents.FAILED, s, "no_transaction"));
                });
    }

    /** A RemoteStop nobody confirmed within the start timeout: settle from the last meter reading. */
    public Uni<Integer> finishUnconfirmedStops() {
        Instant cutoff = Instant.now().minus(config.jobs().startTimeout());
        return claimEach("status = 'STOPPING' AND stop_requested_at < '" + cutoff + "'",
                s -> settlement.settle(s, s.energyWh, Instant.now(), "stop_unconfirmed").replaceWithVoid());
    }

    /** Failed starts whose hold release did not go through yet. */
    public Uni<Integer> releaseFailedHolds() {
        return claimEach("status = 'FAILED' AND released IS NULL", s -> {
            Uni<String> holdId = s.holdId != null ? Uni.createFrom().item(s.holdId)
                    // the hold call failed: ask again with the same idempotency key to learn whether it exists
                    : payment.placeHold(s.clientId, s.id.toString(), s.reservedAmount)
                            .map(r -> r.insufficient() ? null : r.holdId());
            return holdId.chain(id -> id == null ? Uni.createFrom().item(0L)
                            : payment.release(id, s.id.toString()).map(PaymentClient.Settlement::released))
                    .invoke(released -> s.released = released)
                    .onFailure().invoke(f -> Log.warnf("Release for %s retried next run: %s", s.id, f.toString()))
                    .onFailure().recoverWithNull().replaceWithVoid();
        });
    }

    private Uni<Integer> claimEach(String where, java.util.function.Function<ChargingSession, Uni<Void>> action) {
        return Panache.withTransaction(() -> sessions.claim(where, config.jobs().batchSize())
                .chain(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndConcatenate(s -> action.apply(s)
                                .onFailure().invoke(f -> Log.warnf("Job step on session %s failed: %s", s.id,
                                        f.toString()))
                                .onFailure().recoverWithNull())
                        .collect().asList().map(List::size)));
    }
}
