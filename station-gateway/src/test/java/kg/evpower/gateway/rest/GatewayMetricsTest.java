package kg.evpower.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;

/** The gateway's meters exist from start-up and move with station messages, connections and commands. */
@QuarkusTest
@QuarkusTestResource(SecurityServiceStub.class)
class GatewayMetricsTest {

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void serviceToken() {
        SecurityServiceStub.useServiceToken();
    }

    @Test
    void messagesConnectionsAndCommandsAreCounted() throws Exception {
        String heartbeats = "evpower_ocpp_messages_total{action=\"Heartbeat\",direction=\"in\",outcome=\"result\"}";
        String invalidStatus = "evpower_ocpp_messages_total{action=\"StatusNotification\",direction=\"in\",outcome=\"OccurenceConstraintViolation\"}";
        String metrics = scrape();
        assertTrue(metrics.contains(heartbeats), "known actions are exposed before any traffic");
        assertTrue(metrics.contains("evpower_gateway_connected_stations"), "connected stations gauge");
        assertTrue(metrics.contains("evpower_gateway_command_duration_seconds_bucket{action=\"RemoteStartTransaction\""),
                "command timers of the known commands exist before any command");
        double heartbeatsBefore = value(metrics, heartbeats);
        double invalidBefore = value(metrics, invalidStatus);
        double connectedBefore = value(metrics, "evpower_gateway_connected_stations");

        String id = TestStation.newId("metrics");
        try (TestStation station = TestStation.connect(base, id)) {
            station.ok("Heartbeat", new JsonObject());
            station.ok("Heartbeat", new JsonObject());
            JsonArray refused = station.call("StatusNotification", new JsonObject().put("connectorId", 1));
            assertEquals(4, refused.getInteger(0), "a CALLERROR for the missing fields: " + refused);

            CompletableFuture<Response> command = CompletableFuture.supplyAsync(() -> given().contentType("application/json")
                    .body("{}").post("/internal/stations/" + id + "/commands/ClearCache"));
            JsonArray call = station.expectCall("ClearCache");
            station.reply(call, new JsonObject().put("status", "Accepted"));
            assertEquals(200, command.get(10, TimeUnit.SECONDS).statusCode());

            String during = scrape();
            assertEquals(heartbeatsBefore + 2, value(during, heartbeats), "two heartbeats answered");
            assertEquals(invalidBefore + 1, value(during, invalidStatus), "one refused StatusNotification");
            assertEquals(connectedBefore + 1, value(during, "evpower_gateway_connected_stations"), "one more station");
            assertTrue(value(during, "evpower_gateway_command_duration_seconds_count{action=\"ClearCache\",outcome=\"ANSWERED\"}") >= 1,
                    "the command's round trip is timed");
        }
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of a series, 0 when it is absent. */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
