package kg.evpower.charging.support;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.event.EventEnvelope;
import kg.evpower.platform.testing.Reactive;

/** Fixtures on the real database and Redis: each test makes its own clients, stations and plans. */
@QuarkusTestResource(PeerStubs.class)
public abstract class ChargingTestBase {

    @Inject
    protected Pool pool;

    @Inject
    protected RedisDataSource redis;

    @Inject
    protected ObjectMapper mapper;

    @ConfigProperty(name = "evpower.charging.streams.gateway")
    protected String gatewayStream;

    @ConfigProperty(name = "evpower.charging.streams.charging")
    protected String chargingStream;

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    /** A client with a wallet of {@code balance} tyiyn at the payment peer. */
    protected String client(long balance) {
        String id = "client-" + UUID.randomUUID();
        PeerStubs.BALANCES.put(id, balance);
        return id;
    }

    protected long plan(String name) {
        return pool.preparedQuery("INSERT INTO tariff_plan (name) VALUES ($1) RETURNING id")
                .executeAndAwait(Tuple.of(name)).iterator().next().getLong(0);
    }

    protected void rule(long plan, String type, long price) {
        pool.preparedQuery("INSERT INTO tariff_rule (tariff_plan_id, name, tariff_type, price) VALUES ($1, $2, $3, $4)")
                .executeAndAwait(Tuple.of(plan, type + "-rule", type, price));
    }

    /** A station in the catalogue (with connectors 1 and 2) that the gateway peer reports connected and available. */
    protected String station(Long planId) {
        String id = unique("ST");
        pool.preparedQuery("INSERT INTO station (id, model, manufacturer, tariff_plan_id, online) VALUES ($1, 'X', 'Y', $2, true)")
                .executeAndAwait(Tuple.of(id, planId));
        for (int n = 1; n <= 2; n++) {
            pool.preparedQuery("INSERT INTO connector (station_id, connector_number, connector_type, power_kw, status) "
                    + "VALUES ($1, $2, 'Type2', 22, 'Available')").executeAndAwait(Tuple.of(id, n));
        }
        PeerStubs.station(id, true, Map.of(1, "Available", 2, "Available"));
        return id;
    }

    protected ValidatableResponse start(String clientId, Map<String, Object> body) {
        return given().auth().oauth2(Tokens.client(clientId)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/charging/start").then();
    }

    protected ValidatableResponse stop(String clientId, String sessionId) {
        return given().auth().oauth2(Tokens.client(clientId)).contentType(ContentType.JSON)
                .body(Map.of("session_id", sessionId)).post("/api/v1/charging/stop").then();
    }

    protected ValidatableResponse status(String clientId, String sessionId) {
        return given().auth().oauth2(Tokens.client(clientId)).get("/api/v1/charging/status/" + sessionId).then();
    }

    /** Puts a gateway event on the gateway stream the service consumes, as station-gateway's relay would. */
    protected void gatewayEvent(String type, String stationId, Map<String, Object> data) {
        try {
            EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), type, 1, Instant.now(), "station-gateway",
                    stationId, "test-" + UUID.randomUUID(), mapper.valueToTree(data));
            redis.stream(String.class).xadd(gatewayStream, Map.of(EventEnvelope.FIELD, mapper.writeValueAsString(envelope)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected void transactionStarted(String stationId, int connector, int tx, String idTag, long meterStart) {
        gatewayEvent("gateway.transaction.started", stationId, Map.of("chargePointId", stationId, "connectorId", connector,
                "transactionId", tx, "idTag", idTag, "meterStartWh", meterStart, "timestamp", Instant.now().toString()));
    }

    protected void meter(String stationId, int connector, int tx, long register) {
        gatewayEvent("gateway.meter.values", stationId, Map.of("chargePointId", stationId, "connectorId", connector,
                "transactionId", tx, "timestamp", Instant.now().toString(), "energyRegisterWh", register,
                "powerW", 11000));
    }

    protected void transactionStopped(String stationId, int connector, int tx, String idTag, long meterStart,
            long meterStop) {
        gatewayEvent("gateway.transaction.stopped", stationId, Map.of("chargePointId", stationId,
                "connectorId", connector, "transactionId", tx, "idTag", idTag, "meterStartWh", meterStart,
                "meterStopWh", meterStop, "energyWh", meterStop - meterStart, "timestamp", Instant.now().toString(),
                "reason", "Remote"));
    }

    protected Row session(String sessionId) {
        var rows = pool.preparedQuery("SELECT * FROM charging_session WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(sessionId)));
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    protected String sessionStatus(String sessionId) {
        Row row = session(sessionId);
        return row == null ? null : row.getString("status");
    }

    protected void eventually(String what, java.util.function.Supplier<Boolean> condition) {
        Reactive.eventually(what, Duration.ofSeconds(15), condition);
    }

    protected long count(String sql, Object... params) {
        return pool.preparedQuery(sql).executeAndAwait(Tuple.from(params)).iterator().next().getLong(0);
    }
}
