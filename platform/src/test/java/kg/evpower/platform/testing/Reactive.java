package kg.evpower.platform.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs reactive work from a test thread on a fresh, safe duplicated Vert.x context (what Hibernate Reactive needs) and
 * waits for its result. For tests only: waiting is what tests do.
 */
public final class Reactive {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Reactive() {
    }

    public static <T> T run(Vertx vertx, Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(result::complete, result::completeExceptionally);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T inTransaction(Vertx vertx, Supplier<Uni<T>> work) {
        return run(vertx, () -> Panache.withTransaction(work));
    }

    /** Polls {@code condition} until it holds or the time is up; fails the test with {@code what} otherwise. */
    public static void eventually(String what, Duration within, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + within.toNanos();
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (AssertionError e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw last != null ? last : new AssertionError("Timed out waiting for: " + what);
    }
}
