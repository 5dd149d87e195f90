package kg.evpower.platform.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With Redis unreachable the default limit fails open: requests go on, and each is counted as "unavailable". */
@QuarkusTest
@TestProfile(DefaultRateLimitRedisDownTest.RedisDown.class)
class DefaultRateLimitRedisDownTest {

    public static class RedisDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "evpower.events.consumer.enabled", "false",
                    "evpower.events.relay.enabled", "false", "evpower.rate-limit.default-per-minute", "2");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void requestsGoOnAndAreCountedWhenRedisIsDown() {
        double before = unavailable();
        for (int i = 0; i < 4; i++) {
            given().get("/probe/correlation").then().statusCode(200);
        }
        assertEquals(4.0, unavailable() - before);
        assertEquals(0.0, registry.get("evpower.http.rate.limit").tag("outcome", "limited").counter().count());
    }

    private double unavailable() {
        return registry.get("evpower.http.rate.limit").tag("bucket", "default").tag("outcome", "unavailable").counter()
                .count();
    }
}
