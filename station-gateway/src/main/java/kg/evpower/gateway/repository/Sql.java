package kg.evpower.gateway.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.sql.SqlTransaction;

/**
 * SQL in the current {@link SqlTransaction} (methods marked {@code @SqlTransactional}): writes that must share the
 * transaction of their outbox event, on the plain reactive PostgreSQL client (issue 9: a Hibernate Reactive session
 * per station message cost more than its SQL). Statements are written with {@code ?1, ?2, ...} placeholders.
 * Reads that need no transaction go through the reactive PG pool instead.
 */
public final class Sql {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\?(\\d+)");
    private static final Map<String, String> NATIVE = new ConcurrentHashMap<>();

    private Sql() {
    }

    /** Runs a statement; the number of rows it changed. */
    public static Uni<Integer> update(String sql, Object... parameters) {
        return Uni.createFrom().deferred(() -> connection().preparedQuery(pg(sql)).execute(tuple(parameters)))
                .map(rows -> rows.rowCount());
    }

    /** Runs a query; each row as its single value, or as an {@code Object[]} of its values when it has several. */
    public static Uni<List<Object>> list(String sql, Object... parameters) {
        return Uni.createFrom().deferred(() -> connection().preparedQuery(pg(sql)).execute(tuple(parameters)))
                .map(rows -> {
                    List<Object> list = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        int columns = row.size();
                        if (columns == 1) {
                            list.add(row.getValue(0));
                        } else {
                            Object[] values = new Object[columns];
                            for (int i = 0; i < columns; i++) {
                                values[i] = row.getValue(i);
                            }
                            list.add(values);
                        }
                    }
                    return list;
                });
    }

    private static SqlConnection connection() {
        SqlConnection connection = SqlTransaction.current();
        if (connection == null) {
            throw new IllegalStateException("Sql needs an open SqlTransaction (a @SqlTransactional method)");
        }
        return connection;
    }

    /** {@code ?1} placeholders as PostgreSQL's {@code $1}, converted once per statement text. */
    static String pg(String sql) {
        return NATIVE.computeIfAbsent(sql, text -> PLACEHOLDER.matcher(text).replaceAll("\\$$1"));
    }

    private static Tuple tuple(Object... parameters) {
        Object[] values = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            values[i] = bind(parameters[i]);
        }
        return Tuple.from(values);
    }

    private static Object bind(Object value) {
        return value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value;
    }

    public static long asLong(Object value) {
        return ((Number) value).longValue();
    }
}
