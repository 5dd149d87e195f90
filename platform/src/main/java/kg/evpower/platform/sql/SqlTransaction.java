package kg.evpower.platform.sql;

import java.util.function.Supplier;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A database transaction on the plain reactive PostgreSQL client, for hot paths where a Hibernate Reactive session per
 * unit of work costs more than the work (issue 9: the gateway's station messages). The connection is kept in the
 * current duplicated Vert.x context while the work runs, so helpers deeper down (the service's SQL helpers,
 * {@link kg.evpower.platform.event.Outbox#append}) write in the same transaction without it being passed around.
 * A nested {@link #run} joins the transaction already open.
 */
public final class SqlTransaction {

    private static final String CONNECTION = "evpower.sql.transaction";

    private SqlTransaction() {
    }

    /** Runs {@code work} in one transaction: committed when it succeeds, rolled back when it fails. */
    public static <T> Uni<T> run(Pool pool, Supplier<Uni<T>> work) {
        if (current() != null) {
            return Uni.createFrom().deferred(work::get);
        }
        if (!VertxContext.isOnDuplicatedContext()) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "SqlTransaction.run needs a duplicated Vert.x context (a request, or a new one for background work)"));
        }
        return pool.withTransaction(connection -> {
            ContextLocals.put(CONNECTION, connection);
            return Uni.createFrom().deferred(work::get).eventually(() -> ContextLocals.remove(CONNECTION));
        });
    }

    /** The connection of the transaction open on this context, or null. */
    public static SqlConnection current() {
        if (Vertx.currentContext() == null || !VertxContext.isOnDuplicatedContext()) {
            return null;
        }
        return ContextLocals.<SqlConnection>get(CONNECTION).orElse(null);
    }
}
