package kg.evpower.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.charging.service.SessionJobs;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.platform.retention.RetentionJob;
import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.testing.Reactive;

/** The retention rule of charging-service against the real database: old idempotency keys go, sessions never. */
@QuarkusTest
class ChargingRetentionTest extends ChargingTestBase {

    @Inject
    RetentionJob job;

    @Inject
    Instance<RetentionRule> rules;

    @Inject
    SessionJobs sessionJobs;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @Test
    void oldIdempotencyKeysGoAndSessionsStay() {
        String client = unique("ret-client");
        runAll(); // whatever other tests left behind that is due goes first, so the counts below are exact
        sql("INSERT INTO client (id, created_at) VALUES ($1, now() - interval '400 days')", client);
        sql("INSERT INTO idempotency_key (client_id, idem_key, method, path, body_hash, status_code, response_body, created_at) "
                + "SELECT $1, 'old-' || g, 'POST', '/api/v1/charging/start', repeat('a', 64), 200, '{}', "
                + "now() - interval '8 days' FROM generate_series(1, 4) g", client);
        sql("INSERT INTO idempotency_key (client_id, idem_key, method, path, body_hash, created_at) VALUES "
                + "($1, 'six-days', 'POST', '/api/v1/charging/stop', repeat('a', 64), now() - interval '6 days'), "
                + "($1, 'new', 'POST', '/api/v1/charging/stop', repeat('a', 64), now())", client);
        // sessions from over a year ago, settled: billing history that no rule may touch
        oldSession(client, "STOPPED");
        oldSession(client, "FAILED");
        long sessions = count("SELECT count(*) FROM charging_session");

        // the hanging-session job no longer removes idempotency keys: the retention job does
        Reactive.run(vertx, () -> sessionJobs.runAll());
        assertEquals(6, count("SELECT count(*) FROM idempotency_key WHERE client_id = $1", client));

        double before = removedCounter();
        assertEquals(Map.of("idempotency_key", 4L), runAll());

        assertEquals(List.of("new", "six-days"), keys(client));
        assertEquals(sessions, count("SELECT count(*) FROM charging_session"));
        assertEquals(2, count("SELECT count(*) FROM charging_session WHERE client_id = $1", client));
        assertEquals(4.0, removedCounter() - before);
        // a second run finds nothing more
        assertEquals(Map.of("idempotency_key", 0L), runAll());
        assertEquals(2, keys(client).size());
    }

    @Test
    void idempotencyKeysAreKeptSevenDaysByDefault() {
        List<RetentionRule> all = rules.stream().toList();
        assertEquals(List.of("idempotency_key"), all.stream().map(RetentionRule::name).toList());
        assertEquals(Duration.ofDays(7), job.keep(all.get(0)));
    }

    private void oldSession(String client, String status) {
        sql("INSERT INTO charging_session (id, client_id, station_id, connector_id, status, id_tag, limit_type, "
                + "reserved_amount, rate_per_kwh, rate_per_minute, session_fee, parking_fee_per_minute, final_cost, "
                + "captured, released, created_at, stopped_at, updated_at) VALUES (gen_random_uuid(), $1, 'ST-RETENTION', 1, "
                + "$2, substr(md5(random()::text), 1, 20), 'none', 1000, 1350, 0, 0, 0, 0, 0, 1000, "
                + "now() - interval '400 days', now() - interval '400 days', now() - interval '400 days')", client, status);
    }

    private List<String> keys(String client) {
        return pool.preparedQuery("SELECT idem_key FROM idempotency_key WHERE client_id = $1 ORDER BY idem_key COLLATE \"C\"")
                .executeAndAwait(Tuple.of(client)).stream().map((Row row) -> row.getString(0)).toList();
    }

    private double removedCounter() {
        return registry.get("evpower.retention.removed.rows").tag("rule", "idempotency_key").counter().count();
    }

    private Map<String, Long> runAll() {
        return job.runAll().await().atMost(Duration.ofSeconds(30));
    }

    private void sql(String statement, Object... params) {
        pool.preparedQuery(statement).executeAndAwait(Tuple.from(params));
    }
}
