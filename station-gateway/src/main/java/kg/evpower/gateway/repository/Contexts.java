package kg.evpower.gateway.repository;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Runs reactive work on a fresh, safe duplicated Vert.x context (Hibernate Reactive needs one per unit of work). */
public final class Contexts {

    private Contexts() {
    }

    public static <T> Uni<T> onNewContext(Vertx vertx, Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
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
