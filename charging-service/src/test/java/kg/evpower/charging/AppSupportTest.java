package kg.evpower.charging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.CalendarMinute;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;

/** Issue 10 "App support": the version endpoint and the critical rate limit on start/stop. */
@QuarkusTest
class AppSupportTest extends ChargingTestBase {

    @Inject
    MeterRegistry registry;

    double decisions(String outcome) {
        var c = registry.find("evpower.charging.rate.limit").tag("bucket", "critical").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void versionAnswersFromConfig() {
        given().get("/api/v1/app/version?platform=ios&version=1.2.3").then().statusCode(200)
                .body("success", equalTo(true))
                .body("latest_version", equalTo("2.1.0"))
                .body("min_supported_version", equalTo("1.5.0"))
                .body("update_required", equalTo(true))
                .body("store_url", equalTo("https://apps.example/ios"));
        given().get("/api/v1/app/version?platform=ios&version=1.10.0").then().statusCode(200)
                .body("update_required", equalTo(false)).body("update_available", equalTo(true));
        given().get("/api/v1/app/version?platform=android&version=3.0.0").then().statusCode(200)
                .body("latest_version", equalTo("3.0.0"))
                .body("min_supported_version", equalTo("2.0.0"))
                .body("update_required", equalTo(false)).body("update_available", equalTo(false))
                .body("store_url", equalTo("https://apps.example/android"));
    }

    @Test
    void badPlatformOrVersionIsRefusedInTheAppShape() {
        given().get("/api/v1/app/version?platform=windows&version=1.0.0").then().statusCode(422)
                .body("success", equalTo(false)).body("error", equalTo("invalid_platform"))
                .body("errors[0].field", equalTo("platform"));
        given().get("/api/v1/app/version?version=1.0.0").then().statusCode(422)
                .body("error", equalTo("invalid_platform"));
        for (String v : new String[] {"1.0", "1.0.0.0", "a.b.c", "1.0.-1", "12345.0.0", ""}) {
            given().queryParam("platform", "android").queryParam("version", v).get("/api/v1/app/version").then()
                    .statusCode(422).body("success", equalTo(false)).body("error", equalTo("invalid_version"))
                    .body("errors[0].field", equalTo("version"));
        }
    }

    @Test
    void theEleventhStartOrStopOfAClientInAMinuteIsRefused() {
        CalendarMinute.awaitRoom(Duration.ofSeconds(20));
        String clientId = client(0);
        String other = client(0);
        double limitedBefore = decisions("limited");
        double allowedBefore = decisions("allowed");
        for (int i = 0; i < 10; i++) {
            stop(clientId, UUID.randomUUID().toString()).statusCode(200).body("error", equalTo("session_not_found"));
        }
        stop(clientId, UUID.randomUUID().toString()).statusCode(429).header("Retry-After", "60")
                .body("success", equalTo(false)).body("error", equalTo("too_many_requests"))
                .body("message", equalTo("Rate limit exceeded (critical)"));
        String st = station(null);
        start(clientId, Map.of("station_id", st, "connector_id", 1)).statusCode(429)
                .body("error", equalTo("too_many_requests"));
        // the refused start did nothing
        assertEquals(0, count("SELECT count(*) FROM charging_session WHERE client_id = $1", clientId));
        assertEquals(0, PeerStubs.commands(st, "RemoteStartTransaction").size());
        // another client is not affected
        stop(other, UUID.randomUUID().toString()).statusCode(200).body("error", equalTo("session_not_found"));
        assertEquals(2, decisions("limited") - limitedBefore);
        assertEquals(11, decisions("allowed") - allowedBefore);
    }
}
