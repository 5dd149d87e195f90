package kg.evpower.gateway.repository;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Tables partitioned by month of a {@code timestamptz} column (migration V2): partition {@code <table>_pYYYY_MM} holds
 * [first of the month 00:00 UTC, first of the next month 00:00 UTC), {@code <table>_default} the rows of months without a
 * partition. Creating and dropping partitions of one table is serialised across replicas by a transaction-scoped
 * advisory lock ({@link #lock}).
 */
public final class MonthlyPartitions {

    /** The gateway's tables partitioned by month of {@code received_at}. */
    public static final List<String> TABLES = List.of("meter_value", "station_message");

    public static final String KEY_COLUMN = "received_at";

    /** First key of the advisory locks on partitions (the second is the table name's hash). */
    private static final int LOCK_CLASS = 0x47505254;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("'_p'yyyy_MM");
    private static final DateTimeFormatter BOUND = DateTimeFormatter.ofPattern("''yyyy-MM-dd' 00:00:00+00'''");

    /**
     * One partition. {@code from}/{@code to} are its range bounds (to exclusive), null for the default partition or a
     * bound that is not a plain timestamp (MINVALUE, MAXVALUE).
     */
    public record Partition(String name, OffsetDateTime from, OffsetDateTime to, boolean isDefault) {
    }

    private MonthlyPartitions() {
    }

    /** Returns {@code identifier} when it is a plain lower-case SQL identifier (they are spliced into DDL). */
    public static String identifier(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("Not a plain identifier: " + identifier);
        }
        return identifier;
    }

    public static String partitionName(String table, YearMonth month) {
        return identifier(table) + SUFFIX.format(month);
    }

    public static String defaultName(String table) {
        return identifier(table) + "_default";
    }

    public static OffsetDateTime start(YearMonth month) {
        return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** {@code FOR VALUES FROM ('…') TO ('…')} of the month. */
    public static String bounds(YearMonth month) {
        return "FOR VALUES FROM (" + BOUND.format(month.atDay(1)) + ") TO (" + BOUND.format(month.plusMonths(1).atDay(1))
                + ")";
    }

    /** Waits for the lock on {@code table}'s partitions, held until the transaction of {@code connection} ends. */
    public static Uni<Void> lock(SqlConnection connection, String table) {
        return connection.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                .execute(Tuple.of(LOCK_CLASS, table)).replaceWithVoid();
    }

    /**
     * Whether a table of that name exists in the current schema. Reads pg_class with the statement's snapshot, so it sees
     * what another transaction committed while this one waited for {@link #lock} (to_regclass may not yet).
     */
    public static Uni<Boolean> exists(SqlClient client, String relation) {
        return client.preparedQuery("""
                SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE c.relname = $1 AND n.nspname = current_schema())""")
                .execute(Tuple.of(relation))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The partitions of {@code table}, oldest first, the default partition last; none when the table is missing. */
    public static Uni<List<Partition>> list(SqlClient client, String table) {
        // The bounds are printed in the session's time zone and cast back in the same session, so they round-trip.
        return client.preparedQuery("""
                SELECT name, bound = 'DEFAULT' AS is_default,
                       (regexp_match(bound, 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS lower_bound,
                       (regexp_match(bound, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper_bound
                FROM (SELECT c.relname::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
                      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                      WHERE i.inhparent = to_regclass($1)) partitions
                -- a partition another replica is dropping right now has no bound any more: not ours to handle
                WHERE bound IS NOT NULL
                ORDER BY is_default, upper_bound NULLS LAST, name""")
                .execute(Tuple.of(identifier(table)))
                .map(rows -> {
                    List<Partition> partitions = new ArrayList<>();
                    for (Row row : rows) {
                        partitions.add(new Partition(row.getString("name"), row.getOffsetDateTime("lower_bound"),
                                row.getOffsetDateTime("upper_bound"), row.getBoolean("is_default")));
                    }
                    return partitions;
                });
    }

    /** Whether {@code failure} is PostgreSQL's error {@code sqlState} (e.g. 42P01 undefined table). */
    public static boolean isSqlState(Throwable failure, String sqlState) {
        return failure instanceof PgException pg && sqlState.equals(pg.getSqlState());
    }
}
