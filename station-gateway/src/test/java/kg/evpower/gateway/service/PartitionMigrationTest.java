package kg.evpower.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.gateway.repository.MonthlyPartitions;

/**
 * Migration V2 on a database that already holds meter values and station messages (V1 in a scratch schema, rows
 * inserted, then V2): rows and ids are kept, each month with rows gets its partition, ids continue after the largest.
 */
@QuarkusTest
class PartitionMigrationTest {

    private static final String SCHEMA = "gw_migration_check";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @Test
    void rowsAndIdsSurviveTheMoveToMonthlyPartitions() throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, "")) {
            sql(db, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            try {
                flyway("1").migrate();
                sql(db, "SET search_path TO " + SCHEMA);
                sql(db, """
                        INSERT INTO meter_value (station_id, connector_id, sampled_at, samples, received_at)
                        SELECT 'mig', g, now(), jsonb_build_array(g), now() - make_interval(days => g * 40)
                        FROM generate_series(0, 10) g""");
                sql(db, """
                        INSERT INTO meter_value (id, station_id, connector_id, sampled_at, samples, received_at)
                        VALUES (500, 'mig', 99, now(), '[]', now() - interval '30 months')""");
                sql(db, """
                        INSERT INTO station_message (station_id, action, payload, received_at)
                        SELECT 'mig', 'Authorize', jsonb_build_object('n', g), now() - make_interval(days => g * 31)
                        FROM generate_series(0, 3) g""");
                List<String> meterRowsBefore = strings(db,
                        "SELECT id || ' ' || connector_id || ' ' || samples || ' ' || received_at FROM meter_value ORDER BY id");

                flyway(null).migrate();

                assertEquals(meterRowsBefore, strings(db,
                        "SELECT id || ' ' || connector_id || ' ' || samples || ' ' || received_at FROM meter_value ORDER BY id"));
                assertEquals(List.of("1 {\"n\": 0}", "2 {\"n\": 1}", "3 {\"n\": 2}", "4 {\"n\": 3}"),
                        strings(db, "SELECT id || ' ' || payload FROM station_message ORDER BY id"));
                assertEquals(List.of("meter_value_default"), strings(db, """
                        SELECT c.relname FROM meter_value m JOIN pg_class c ON c.oid = m.tableoid WHERE m.id = 500"""),
                        "rows older than 24 months go to the default partition");
                assertEquals(List.of("0"), strings(db, """
                        SELECT count(*) FROM meter_value m JOIN pg_class c ON c.oid = m.tableoid
                        WHERE c.relname = 'meter_value_default' AND m.id <> 500"""), "every other row is in its month");
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                YearMonth current = YearMonth.from(now);
                List<String> meterMonths = new ArrayList<>(List.of(current.minusMonths(1).toString(),
                        current.toString(), current.plusMonths(1).toString()));
                for (int g = 0; g <= 10; g++) {
                    meterMonths.add(YearMonth.from(now.minusDays(g * 40L)).toString());
                }
                for (String month : meterMonths) {
                    String partition = MonthlyPartitions.partitionName("meter_value", YearMonth.parse(month));
                    assertEquals(List.of(partition), strings(db, "SELECT to_regclass('" + partition + "')::text"));
                }
                String messages = MonthlyPartitions.partitionName("station_message", YearMonth.from(now.minusDays(93)));
                assertEquals(List.of(messages), strings(db, "SELECT to_regclass('" + messages + "')::text"));

                assertEquals(List.of("501"), strings(db, """
                        INSERT INTO meter_value (station_id, connector_id, sampled_at, samples)
                        VALUES ('mig', 1, now(), '[]') RETURNING id"""), "ids continue after the largest");
                assertEquals(List.of("5"), strings(db, """
                        INSERT INTO station_message (station_id, action, payload)
                        VALUES ('mig', 'Authorize', '{}') RETURNING id"""));
                assertEquals(List.of("PRIMARY KEY (id, received_at)"), strings(db,
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'meter_value_pkey'"
                                + " AND connamespace = '" + SCHEMA + "'::regnamespace"));
                assertTrue(strings(db, "SELECT indexname FROM pg_indexes WHERE schemaname = '" + SCHEMA + "'")
                        .containsAll(List.of("meter_value_transaction", "meter_value_station", "meter_value_received_at",
                                "station_message_station", "station_message_received_at",
                                "station_command_completed_at")));
            } finally {
                sql(db, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private Flyway flyway(String target) {
        var configuration = Flyway.configure().dataSource(url, user, "").schemas(SCHEMA).createSchemas(true)
                .locations("classpath:db/gateway");
        return (target == null ? configuration : configuration.target(target)).load();
    }

    private static void sql(Connection db, String statement) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(statement);
        }
    }

    private static List<String> strings(Connection db, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rows = s.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
