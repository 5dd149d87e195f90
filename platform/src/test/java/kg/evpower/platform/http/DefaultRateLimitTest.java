package kg.evpower.platform.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

@QuarkusTest
@TestProfile(DefaultRateLimitTest.FivePerMinute.class)
class DefaultRateLimitTest {

    public static class FivePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("evpower.rate-limit.default-per-minute", "5", "evpower.http.trusted-proxies", "127.0.0.1");
        }
    }

    @Inject
    Redis redis;

    @Inject
    MeterRegistry registry;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void theSixthRequestOfAMinuteFromOneAddressGets429AndOtherAddressesGoOn() {
        String address = randomAddress();
        double limitedBefore = count("limited");
        double allowedBefore = count("allowed");
        // stay inside one minute window: the budget is per calendar minute
        if (Instant.now().getEpochSecond() % 60 > 50) {
            sleep(Duration.ofSeconds(61 - Instant.now().getEpochSecond() % 60));
        }

        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", address).get("/probe/correlation").then().statusCode(200);
        }
        given().header("X-Forwarded-For", address).get("/probe/correlation")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", v -> Integer.parseInt(v), org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.greaterThanOrEqualTo(1), org.hamcrest.Matchers.lessThanOrEqualTo(60)))
                .body("status", equalTo(429))
                .body("code", equalTo("RATE_LIMITED"))
                .body("detail", startsWith("Too many requests from this address"));
        // a POST with a body is refused before the application runs: nothing is created
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"name\":\"limited\",\"quantity\":1}").post("/probe/items").then().statusCode(429);

        // another client behind the same proxy has its own budget, and a body still arrives whole after the check
        String other = randomAddress();
        given().header("X-Forwarded-For", other).contentType("application/json")
                .body("{\"name\":\"rate-limit-other\",\"quantity\":2}").post("/probe/items").then().statusCode(200);
        // operations endpoints are never counted
        for (int i = 0; i < 8; i++) {
            given().header("X-Forwarded-For", address).get("/q/health/live").then().statusCode(200);
        }

        assertEquals(0L, pool.query("SELECT count(*) FROM probe_item WHERE name = 'limited'").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0));
        assertEquals(2.0, count("limited") - limitedBefore);
        assertEquals(6.0, count("allowed") - allowedBefore);
        String key = "evpower:rl:default:platform-test:" + address + ":" + Instant.now().getEpochSecond() / 60;
        assertEquals(7L, redis.send(Request.cmd(Command.GET).arg(key)).await().atMost(Duration.ofSeconds(5)).toLong());
        long ttl = redis.send(Request.cmd(Command.TTL).arg(key)).await().atMost(Duration.ofSeconds(5)).toLong();
        assertTrue(ttl > 0 && ttl <= 120, "the window's key expires: ttl " + ttl);
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        // the test client is 127.0.0.1 (trusted); a forged chain names the client as its right-most untrusted hop
        String address = randomAddress();
        if (Instant.now().getEpochSecond() % 60 > 55) {
            sleep(Duration.ofSeconds(61 - Instant.now().getEpochSecond() % 60));
        }
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", randomAddress() + ", " + address).get("/probe/correlation")
                    .then().statusCode(200);
        }
        given().header("X-Forwarded-For", "10.9.9.9, " + address).get("/probe/correlation").then().statusCode(429);
    }

    private double count(String outcome) {
        return registry.get("evpower.http.rate.limit").tag("bucket", "default").tag("outcome", outcome).counter()
                .count();
    }

    static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.51." + random.nextInt(100, 255) + "." + random.nextInt(1, 255);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
