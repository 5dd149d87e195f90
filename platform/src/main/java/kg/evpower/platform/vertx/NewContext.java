package kg.evpower.platform.vertx;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs reactive work on a fresh, safe duplicated Vert.x context: Hibernate Reactive and {@code SqlTransaction} keep
 * their session or connection there, so each unit of work (a station message, a stream entry, a job's item) gets its
 * own, and the scheduler or a start-up observer, which do not give one, can still run such work.
 */
public final class NewContext {

    private NewContext() {
    }

    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        return run(vertx.getOrCreateContext(), work);
    }

    /** As {@link #run(Vertx, Supplier)}, duplicating {@code parent} (its event loop). */
    public static <T> Uni<T> run(Context parent, Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(parent);
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(emitter::complete, emitter::fail);
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }));
    }
}
