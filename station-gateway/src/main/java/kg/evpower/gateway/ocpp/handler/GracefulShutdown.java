package kg.evpower.gateway.ocpp.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.gateway.ocpp.session.SessionRegistry;
import kg.evpower.gateway.ocpp.session.StationSession;

/**
 * A stopping replica gives its stations away at once instead of holding them until {@code quarkus.shutdown.timeout}.
 * <p>
 * Quarkus' earliest shutdown hook is {@link ShutdownDelayInitiatedEvent}, fired in the pre-shutdown phase (needs the
 * build-time {@code quarkus.shutdown.delay-enabled=true}), before readiness waits out {@code quarkus.shutdown.delay} and
 * before the HTTP layer waits for open requests (which a WebSocket stays until closed). From then on new upgrades are
 * refused 503; every socket of this replica is closed with 1001 (going away) as soon as the station CALLs it already
 * sent have been answered (bounded by {@code evpower.gateway.shutdown.drain-timeout}), and the close is recorded
 * (routing record released, station row disconnected) before shutdown goes on. {@link ShutdownEvent} repeats it
 * (a no-op by then) should the early event not have fired.
 */
@ApplicationScoped
public class GracefulShutdown {

    public static final String REASON = "Going away: gateway replica stopping";

    private final AtomicBoolean draining = new AtomicBoolean();
    private final SessionRegistry registry;
    private final GatewayConfig config;

    GracefulShutdown(SessionRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** True once this replica has begun to stop: no new station is admitted. */
    public boolean draining() {
        return draining.get();
    }

    /**
     * The packaged service answers SIGTERM with an orderly exit 0 (Quarkus' own stop, this drain included) rather than
     * the JVM's 143. Only in normal run mode: test JVMs keep their own signal handling.
     */
    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
                Log.info("SIGTERM: stopping");
                Quarkus.asyncExit(0);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Log.warnf("SIGTERM handler not installed (%s): the JVM's default applies", e.toString());
        }
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        drain();
    }

    /** Refuses new upgrades, then closes every socket of this replica with 1001; blocks (bounded) until recorded. */
    void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        long budget = config.shutdown().drainTimeout().toMillis();
        List<StationSession> sessions = new ArrayList<>(registry.all());
        List<CompletableFuture<Void>> released = new ArrayList<>();
        for (StationSession session : sessions) {
            session.inboundIdle().orTimeout(budget, TimeUnit.MILLISECONDS)
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            Log.warnf("Station %s: CALLs still being processed after %d ms; closing anyway",
                                    session.chargePointId(), budget);
                        }
                        session.close(1001, REASON);
                    });
            released.add(session.released());
        }
        try {
            // The closes themselves (and their bookkeeping) get the drain budget again.
            CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).get(2 * budget, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Log.warnf("Shutdown: not every station close was recorded within %d ms", 2 * budget);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Log.warnf("Shutdown: %s", e.toString());
        }
        Log.infof("Shutdown: %d station socket(s) closed with 1001 in %d ms; new upgrades refused", sessions.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
