package kg.evpower.payment.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Explicit SQL in the current Panache transaction (where row locks and ON CONFLICT say more than entities), so the
 * platform Outbox writes its row in the same transaction. Parameters are ?1, ?2, ...
 */
public final class Db {

    private Db() {
    }

    @SuppressWarnings("unchecked")
    public static Uni<List<Object[]>> rows(String sql, Object... params) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return query.getResultList().map(list -> (List<Object[]>) (List<?>) list.stream()
                    .map(r -> r instanceof Object[] a ? a : new Object[] {r}).toList());
        });
    }

    public static Uni<Object[]> row(String sql, Object... params) {
        return rows(sql, params).map(list -> list.isEmpty() ? null : list.get(0));
    }

    public static Uni<Integer> update(String sql, Object... params) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return query.executeUpdate();
        });
    }

    public static long asLong(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    public static Long asLongOrNull(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    public static Instant asInstant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            case java.time.LocalDateTime l -> l.toInstant(java.time.ZoneOffset.UTC);
            default -> throw new IllegalArgumentException("not a time: " + value.getClass());
        };
    }
}
