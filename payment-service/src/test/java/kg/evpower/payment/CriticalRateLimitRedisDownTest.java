package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.payment.support.Ledger;
import kg.evpower.payment.support.Users;

/** With Redis unreachable the critical limit fails closed: 503 in the app's error shape, nothing created, counted. */
@QuarkusTest
@TestProfile(CriticalRateLimitRedisDownTest.DeadRedis.class)
class CriticalRateLimitRedisDownTest {

    public static class DeadRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens on port 1.
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1");
        }
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Test
    void topupsAreRefusedWhenRedisIsDown() {
        String client = "rl-down-" + UUID.randomUUID();
        double before = CriticalRateLimitTest.count(registry, "unavailable");
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(Map.of("amount", 5))
                .post("/api/v1/balance/topup-qr").then().statusCode(503).body("success", equalTo(false))
                .body("error", equalTo("service_unavailable")).body("correlation_id", notNullValue());
        assertEquals(0, Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1", client));
        assertEquals(0, Ledger.balance(pool, client, "WALLET"));
        assertEquals(before + 1, CriticalRateLimitTest.count(registry, "unavailable"));
        // Reading is not rate limited and keeps working without Redis.
        given().header("Authorization", Users.bearer(client)).get("/api/v1/balance/" + client).then().statusCode(200);
    }
}
