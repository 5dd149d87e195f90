package kg.evpower.gateway.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.platform.testing.Reactive;

/** Handshake rules, security events on live sockets, and every kind of bad input with the session going on. */
@QuarkusTest
@QuarkusTestResource(SecurityServiceStub.class)
class ConnectionAndBadInputTest {

    @TestHTTPResource("/")
    URI base;

    @org.junit.jupiter.api.BeforeEach
    void serviceToken() {
        SecurityServiceStub.useServiceToken();
    }

    @Inject
    RedisDataSource redis;

    @Test
    void subprotocolsOfOlderFirmwareAreEchoedAndTheLegacyPathWorks() {
        String id = TestStation.newId("proto");
        SecurityServiceStub.register(id, "pw", "ACTIVE");
        try (TestStation s = TestStation.connect(base, "/ws/", id, TestStation.basic(id, "pw"), "ocpp1.6j")) {
            assertEquals("ocpp1.6j", s.subprotocol);
        }
        try (TestStation s = TestStation.connect(base, "/ocpp/", id, TestStation.basic(id, "pw"), "ocpp2.0.1",
                "ocpp1.6-json")) {
            assertEquals("ocpp1.6-json", s.subprotocol);
        }
        assertEquals(400, TestStation.refusedWith(base, "/ocpp/", id, TestStation.basic(id, "pw")));
        assertEquals(400, TestStation.refusedWith(base, "/ocpp/", id, TestStation.basic(id, "pw"), "ocpp2.0.1"));
    }

    @Test
    void credentialsAndIdentityRules() {
        String id = TestStation.newId("cred");
        SecurityServiceStub.register(id, "right", "ACTIVE");
        assertEquals(401, TestStation.refusedWith(base, "/ocpp/", id, null, "ocpp1.6"));
        assertEquals(401, TestStation.refusedWith(base, "/ocpp/", id, TestStation.basic(id, "wrong"), "ocpp1.6"));
        assertEquals(401, TestStation.refusedWith(base, "/ocpp/", id, TestStation.basic("someone-else", "right"), "ocpp1.6"));
        assertEquals(401, TestStation.refusedWith(base, "/ocpp/", id, "Bearer right", "ocpp1.6"), "Bearer is off by default");
        String unknown = TestStation.newId("unknown");
        assertEquals(401, TestStation.refusedWith(base, "/ocpp/", unknown, TestStation.basic(unknown, "x"), "ocpp1.6"));
        String revoked = TestStation.newId("revoked");
        SecurityServiceStub.register(revoked, "pw", "REVOKED");
        assertEquals(401, TestStation.refusedWith(base, "/ocpp/", revoked, TestStation.basic(revoked, "pw"), "ocpp1.6"));
        String tooLong = "X".repeat(49);
        assertEquals(400, TestStation.refusedWith(base, "/ocpp/", tooLong, TestStation.basic(tooLong, "pw"), "ocpp1.6"));
        // URL-decoded identity of exactly 48 characters is fine.
        String spaced = "CP%2D" + "A".repeat(45);
        String decoded = "CP-" + "A".repeat(45);
        SecurityServiceStub.register(decoded, "pw", "ACTIVE");
        try (TestStation s = TestStation.connect(base, "/ocpp/", spaced, TestStation.basic(decoded, "pw"), "ocpp1.6")) {
            s.ok("Heartbeat", new JsonObject());
        }
        io.restassured.RestAssured.given().get("/internal/stations/" + decoded).then().statusCode(200);
    }

    @Test
    void securityServiceDownRefusesWith503ButCachedCredentialsStillWork() {
        String id = TestStation.newId("cache");
        SecurityServiceStub.register(id, "pw", "ACTIVE");
        TestStation.connect(base, "/ocpp/", id, TestStation.basic(id, "pw"), "ocpp1.6").close();
        String other = TestStation.newId("nocache");
        SecurityServiceStub.register(other, "pw", "ACTIVE");
        SecurityServiceStub.failing(true);
        try {
            try (TestStation s = TestStation.connect(base, "/ocpp/", id, TestStation.basic(id, "pw"), "ocpp1.6")) {
                assertEquals("Accepted", s.boot().getString("status"));
            }
            assertEquals(503, TestStation.refusedWith(base, "/ocpp/", other, TestStation.basic(other, "pw"), "ocpp1.6"));
        } finally {
            SecurityServiceStub.failing(false);
        }
    }

    @Test
    void aSecondConnectionReplacesTheFirst() throws Exception {
        String id = TestStation.newId("twice");
        try (TestStation first = TestStation.connect(base, id);
                TestStation second = TestStation.connect(base, "/ocpp/", id, TestStation.basic(id, "secret-" + id),
                        "ocpp1.6")) {
            assertEquals(1000, first.closedWith.get(15, TimeUnit.SECONDS));
            assertEquals("Accepted", second.boot().getString("status"));
        }
    }

    @Test
    void revokedWhileConnectedIsClosedWithinASecond() throws Exception {
        String id = TestStation.newId("revoke");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            SecurityServiceStub.status(id, "REVOKED");
            long start = System.nanoTime();
            publishSecurityEvent(id, "REVOKED", "ACTIVE");
            int code = station.closedWith.get(5, TimeUnit.SECONDS);
            assertEquals(1008, code);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1500,
                    "closed " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms after the event");
            assertEquals(401, TestStation.refusedWith(base, "/ocpp/", id, TestStation.basic(id, "secret-" + id),
                    "ocpp1.6"), "the cached credentials were dropped");
        }
    }

    @Test
    void outOfServiceAndRestoreChangeAvailability() {
        String id = TestStation.newId("avail");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            publishSecurityEvent(id, "OUT_OF_SERVICE", "ACTIVE");
            JsonArray inoperative = station.expectCall("ChangeAvailability");
            assertEquals(new JsonObject().put("connectorId", 0).put("type", "Inoperative"), inoperative.getJsonObject(3));
            station.reply(inoperative, new JsonObject().put("status", "Accepted"));
            publishSecurityEvent(id, "ACTIVE", "OUT_OF_SERVICE");
            JsonArray operative = station.expectCall("ChangeAvailability");
            assertEquals("Operative", operative.getJsonObject(3).getString("type"));
            station.reply(operative, new JsonObject().put("status", "Scheduled"));
        }
    }

    @Test
    void badInputGetsTheRightCallErrorAndTheSessionGoesOn() {
        String id = TestStation.newId("bad");
        String bystanderId = TestStation.newId("bystander");
        try (TestStation station = TestStation.connect(base, id); TestStation bystander = TestStation.connect(base, bystanderId)) {
            station.boot();
            bystander.boot();

            station.sendText("[2, \"m1\", \"Heartbeat\", {");
            assertError(station.next(), "m1", "FormationViolation");
            station.sendText("this is not json");
            assertError(station.next(), "-1", "FormationViolation");
            station.sendText("{\"not\":\"an array\"}");
            assertError(station.next(), "-1", "FormationViolation");
            station.sendText("[7, \"m2\", \"Heartbeat\", {}]");
            assertError(station.next(), "m2", "FormationViolation");
            station.sendText("[2, \"m3\", \"Heartbeat\", []]");
            assertError(station.next(), "m3", "FormationViolation");
            station.sendText("[2, \"" + "x".repeat(37) + "\", \"Heartbeat\", {}]");
            assertError(station.next(), "-1", "FormationViolation");

            assertError(station.call("MakeCoffee", new JsonObject()), null, "NotImplemented");
            assertError(station.call("Reset", new JsonObject().put("type", "Soft")), null, "NotSupported");
            assertError(station.call("SignCertificate", new JsonObject().put("csr", "x")), null, "NotSupported");
            assertError(station.call("BootNotification", new JsonObject().put("chargePointVendor", "V")), null,
                    "OccurenceConstraintViolation");
            assertError(station.call("StatusNotification", new JsonObject().put("connectorId", "one")
                    .put("errorCode", "NoError").put("status", "Available")), null, "TypeConstraintViolation");
            assertError(station.call("StatusNotification", new JsonObject().put("connectorId", 1)
                    .put("errorCode", "NoError").put("status", "Sleeping")), null, "PropertyConstraintViolation");
            assertError(station.call("Authorize", new JsonObject().put("idTag", "X".repeat(21))), null,
                    "PropertyConstraintViolation");
            assertError(station.call("StartTransaction", new JsonObject().put("connectorId", 1).put("idTag", "T")
                    .put("meterStart", 0).put("timestamp", "yesterday")), null, "PropertyConstraintViolation");
            assertError(station.call("Heartbeat", new JsonObject().put("extra", 1)), null, "FormationViolation");
            assertError(station.call("MeterValues", new JsonObject().put("connectorId", 1)
                    .put("meterValue", new JsonArray())), null, "OccurenceConstraintViolation");

            String huge = "[2, \"big1\", \"DataTransfer\", {\"vendorId\":\"v\",\"data\":\"" + "x".repeat(70_000) + "\"}]";
            station.sendText(huge);
            assertError(station.next(), "big1", "FormationViolation");

            // An answer nobody waits for is dropped; the session goes on.
            station.sendText("[3, \"nobody-asked\", {}]");
            assertTrue(station.nothingWithin(Duration.ofMillis(300)));

            station.ok("Heartbeat", new JsonObject());
            bystander.ok("Heartbeat", new JsonObject());
        }
    }

    private static void assertError(JsonArray frame, String messageId, String code) {
        assertEquals(4, frame.getInteger(0), () -> "expected a CALLERROR, got " + frame.encode());
        if (messageId != null) {
            assertEquals(messageId, frame.getString(1));
        }
        assertEquals(code, frame.getString(2), () -> frame.encode());
        assertTrue(frame.getJsonObject(4) != null);
    }

    private void publishSecurityEvent(String cpId, String status, String previous) {
        JsonObject envelope = new JsonObject().put("id", UUID.randomUUID().toString())
                .put("type", "security.charge-point.status-changed").put("version", 1)
                .put("occurredAt", java.time.Instant.now().toString()).put("source", "security-service")
                .put("subject", cpId).put("data", new JsonObject().put("cpId", cpId).put("status", status)
                        .put("previousStatus", previous).put("reason", "test"));
        redis.stream(String.class).xadd("evpower.security.v1", Map.of("event", envelope.encode()));
    }

    @SuppressWarnings("unused")
    private static void eventually(String what, java.util.function.Supplier<Boolean> condition) {
        Reactive.eventually(what, Duration.ofSeconds(5), condition);
    }
}
