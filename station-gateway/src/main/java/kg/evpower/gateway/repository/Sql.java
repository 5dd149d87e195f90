package kg.evpower.gateway.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Native SQL in the current Hibernate Reactive transaction: writes that must share the transaction of their outbox event.
 * Reads that need no transaction go through the reactive PG pool instead.
 */
public final class Sql {

    private Sql() {
    }

    public static Uni<Integer> update(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> {
            Mutiny.Query<Object> query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, bind(parameters[i]));
            }
            return query.executeUpdate();
        });
    }

    public static Uni<List<Object>> list(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> {
            Mutiny.Query<Object> query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, bind(parameters[i]));
            }
            return query.getResultList();
        });
    }

    private static Object bind(Object value) {
        return value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value;
    }

    public static long asLong(Object value) {
        return ((Number) value).longValue();
    }
}
