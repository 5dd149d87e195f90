package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** The webhook's per-source budget, counted on the forwarded address only because the peer is a trusted proxy. */
@QuarkusTest
@TestProfile(WebhookRateLimitTest.Strict.class)
class WebhookRateLimitTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("evpower.payment.webhook.rate-per-minute", "3",
                    "evpower.payment.webhook.trusted-proxies", "127.0.0.1",
                    "evpower.payment.webhook.ip-allowlist-enabled", "true",
                    "evpower.payment.webhook.allowed-ips", "198.51.100.1,198.51.100.2");
        }
    }

    private int call(String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/payment/webhook").then().extract().statusCode();
    }

    @Test
    void fourthCallOfAMinuteFromOneSourceIsRefused() {
        // A unique, allowed address per run is not possible across minutes; use the allowed one and a fresh key space.
        String source = "198.51.100.1";
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            if (call("10.9.9.9, " + source) == 429) {
                refused++;
            }
        }
        // At most 3 of the 6 pass this minute (some may already be used if the minute is shared with an earlier run).
        org.junit.jupiter.api.Assertions.assertTrue(refused >= 3, "refused " + refused);
        given().header("X-Forwarded-For", source).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/payment/webhook").then().statusCode(429).body("status", equalTo("rate_limited"));
    }

    @Test
    void addressesNotOnTheAllowListAreRefusedBeforeTheSignature() {
        given().header("X-Forwarded-For", "203.0.113." + (1 + Math.floorMod(UUID.randomUUID().hashCode(), 200)))
                .contentType(ContentType.JSON).body("{}").post("/api/v1/payment/webhook").then().statusCode(403)
                .body("status", equalTo("ip_not_allowed"));
        // Allowed address, no signature: 401 (the allow-list passed).
        given().header("X-Forwarded-For", "198.51.100.2").contentType(ContentType.JSON).body("{}")
                .post("/api/v1/payment/webhook").then().statusCode(401);
    }
}
