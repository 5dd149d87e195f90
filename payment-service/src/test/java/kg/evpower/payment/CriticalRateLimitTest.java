package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
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

/** Issue 10's critical bucket: top-ups per authenticated client and minute, in Redis, counted in Micrometer. */
@QuarkusTest
@TestProfile(CriticalRateLimitTest.Three.class)
class CriticalRateLimitTest {

    public static class Three implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("evpower.payment.rate-limit.critical-per-minute", "3");
        }
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    static double count(MeterRegistry registry, String outcome) {
        var counter = registry.find("evpower.rate.limit").tag("bucket", "critical").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private int topup(String client) {
        return given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(Map.of("amount", 5))
                .post("/api/v1/balance/topup-qr").then().extract().statusCode();
    }

    @Test
    void theFourthTopupOfAMinuteIsRefusedForThatClientOnly() throws InterruptedException {
        if (Instant.now().getEpochSecond() % 60 > 50) {
            Thread.sleep((61 - Instant.now().getEpochSecond() % 60) * 1000);   // keep all calls inside one minute
        }
        String client = "rl-" + UUID.randomUUID();
        double limitedBefore = count(registry, "limited");
        double allowedBefore = count(registry, "allowed");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, topup(client));
        }
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(Map.of("amount", 5))
                .post("/api/v1/balance/topup-qr").then().statusCode(429).body("success", equalTo(false))
                .body("error", equalTo("too_many_requests")).body("message", equalTo("Rate limit exceeded (critical)"))
                .body("correlation_id", notNullValue());
        // The card top-up shares the budget (OBANK off: the limit is not even reached, it answers not_available first).
        assertEquals(3, Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1", client), "the refused call created nothing");
        assertEquals(200, topup("rl-other-" + UUID.randomUUID()), "another client has its own budget");
        assertEquals(limitedBefore + 1, count(registry, "limited"));
        assertEquals(allowedBefore + 4, count(registry, "allowed"));
        // Invalid input still counts against the budget (counted before validation), and is refused as 429 now.
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(Map.of("amount", -1))
                .post("/api/v1/balance/topup-qr").then().statusCode(429);
        // The counter is visible on /q/metrics.
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("evpower_rate_limit_total{bucket=\"critical\",outcome=\"limited\""));
    }
}
