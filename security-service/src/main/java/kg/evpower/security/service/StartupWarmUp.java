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
 * Runs one charge-point lookup through Hibernate Reactive in the background at start-up, so that its first use (seconds
 * of class loading on an event loop) does not stall the requests sharing that loop after a restart. A successful
 * station check no longer uses Hibernate ({@code StationAuthRepository}), but failed checks, token checks and the admin
 * API do: in a reconnect storm a stalled loop made station checks time out at the gateway (issue 9).
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
