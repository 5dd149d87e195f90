package kg.evpower.gateway.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads rows in tests (the real test database). */
public final class Db {

    private Db() {
    }

    public static long count(Pool pool, String sql, Object... parameters) {
        RowSet<Row> rows = pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely();
        return rows.iterator().next().getLong(0);
    }

    public static RowSet<Row> rows(Pool pool, String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely();
    }

    /** Envelopes of outbox events of {@code type} about {@code subject}, oldest first. */
    public static java.util.List<io.vertx.core.json.JsonObject> events(Pool pool, String type, String subject) {
        java.util.List<io.vertx.core.json.JsonObject> list = new java.util.ArrayList<>();
        for (Row row : rows(pool, "SELECT payload FROM outbox_event WHERE event_type = $1 AND subject = $2 ORDER BY id",
                type, subject)) {
            list.add(new io.vertx.core.json.JsonObject(row.getString("payload")));
        }
        return list;
    }
}
