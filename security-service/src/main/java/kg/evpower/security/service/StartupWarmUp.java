package kg.evpower.security.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import kg.evpower.platform.vertx.NewContext;
import kg.evpower.security.repository.ChargePointRepository;

/**
 * Runs one charge-point lookup in the background at start-up, so the first station checks after a restart do not pay
 * for Hibernate Reactive's first use (seconds of class loading on the event loop): in a reconnect storm those slow
 * first answers timed out at the gateway and opened its circuit breaker (issue 9).
 */
@ApplicationScoped
public class StartupWarmUp {

    void onStart(@Observes StartupEvent event, Vertx vertx, ChargePointRepository repository) {
        long started = System.nanoTime();
        NewContext.run(vertx.getDelegate(), () -> Panache.withSession(() -> repository.findById("warm-up.not-a-cp")))
                .subscribe().with(
                        ignored -> Log.debugf("Warmed up the charge-point lookup in %d ms",
                                (System.nanoTime() - started) / 1_000_000),
                        failure -> Log.debugf("Warm-up lookup failed (harmless): %s", failure.toString()));
    }
}
