package kg.evpower.platform.sql;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Runs {@link SqlTransactional} methods in a {@link SqlTransaction}. */
@SqlTransactional
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 200)
public class SqlTransactionalInterceptor {

    private final Pool pool;

    SqlTransactionalInterceptor(Pool pool) {
        this.pool = pool;
    }

    @AroundInvoke
    Object inTransaction(InvocationContext context) {
        if (!Uni.class.isAssignableFrom(context.getMethod().getReturnType())) {
            throw new IllegalStateException("@SqlTransactional needs a method returning Uni: " + context.getMethod());
        }
        return SqlTransaction.run(pool, () -> {
            try {
                return (Uni<?>) context.proceed();
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
        });
    }
}
