package kg.evpower.platform.sql;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * The {@link io.smallrye.mutiny.Uni} this method returns runs in one {@link SqlTransaction} (plain reactive PostgreSQL,
 * no Hibernate session), joined when one is already open. The method must be called on a duplicated Vert.x context.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface SqlTransactional {
}
