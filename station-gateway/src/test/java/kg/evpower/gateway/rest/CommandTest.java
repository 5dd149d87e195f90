package kg.evpower.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.gateway.support.Db;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.platform.config.InstanceId;

/** Central system → station commands over the internal API (issue 5), against a test station. */
@QuarkusTest
@QuarkusTestResource(SecurityServiceStub.class)
class CommandTest {

    @TestHTTPResource("/")
    URI base;

    @org.junit.jupiter.api.BeforeEach
    void serviceToken() {
        SecurityServiceStub.useServiceToken();
    }

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    InstanceId instanceId;

    /** Callers wait for answers concurrently (the common pool may have a single thread on small machines). */
    private static final java.util.concurrent.ExecutorService CALLERS = java.util.concurrent.Executors.newCachedThreadPool();

    static List<Object[]> commands() {
        JsonObject profile = new JsonObject().put("chargingProfileId", 7).put("stackLevel", 0)
                .put("chargingProfilePurpose", "TxProfile").put("chargingProfileKind", "Absolute")
                .put("chargingSchedule", new JsonObject().put("chargingRateUnit", "W")
                        .put("chargingSchedulePeriod", new JsonArray().add(new JsonObject().put("startPeriod", 0)
                                .put("limit", 7400.0))));
        return List.of(
                new Object[] {"RemoteStartTransaction", new JsonObject().put("connectorId", 1).put("idTag", "APP1"),
                        new JsonObject().put("status", "Accepted")},
                new Object[] {"RemoteStartTransaction", new JsonObject().put("idTag", "APP1").put("chargingProfile", profile),
                        new JsonObject().put("status", "Rejected")},
                new Object[] {"RemoteStopTransaction", new JsonObject().put("transactionId", 1001),
                        new JsonObject().put("status", "Accepted")},
                new Object[] {"Reset", new JsonObject().put("type", "Soft"), new JsonObject().put("status", "Accepted")},
                new Object[] {"Reset", new JsonObject().put("type", "Hard"), new JsonObject().put("status", "Accepted")},
                new Object[] {"UnlockConnector", new JsonObject().put("connectorId", 1),
                        new JsonObject().put("status", "Unlocked")},
                new Object[] {"ChangeAvailability", new JsonObject().put("connectorId", 1).put("type", "Inoperative"),
                        new JsonObject().put("status", "Scheduled")},
                new Object[] {"ChangeConfiguration", new JsonObject().put("key", "HeartbeatInterval").put("value", "60"),
                        new JsonObject().put("status", "Accepted")},
                new Object[] {"ChangeConfiguration", new JsonObject().put("key", "NumberOfConnectors").put("value", "3"),
                        new JsonObject().put("status", "Rejected")},
                new Object[] {"ChangeConfiguration", new JsonObject().put("key", "NoSuchKey").put("value", "1"),
                        new JsonObject().put("status", "NotSupported")},
                new Object[] {"GetConfiguration", new JsonObject().put("key", new JsonArray().add("HeartbeatInterval").add("Nope")),
                        new JsonObject().put("configurationKey", new JsonArray().add(new JsonObject()
                                .put("key", "HeartbeatInterval").put("readonly", false).put("value", "60")))
                                .put("unknownKey", new JsonArray().add("Nope"))},
                new Object[] {"ClearCache", new JsonObject(), new JsonObject().put("status", "Accepted")},
                new Object[] {"DataTransfer", new JsonObject().put("vendorId", "com.acme").put("data", "x"),
                        new JsonObject().put("status", "Accepted").put("data", "y")},
                new Object[] {"TriggerMessage", new JsonObject().put("requestedMessage", "StatusNotification").put("connectorId", 1),
                        new JsonObject().put("status", "Accepted")},
                new Object[] {"GetDiagnostics", new JsonObject().put("location", "ftp://diag.example/upload"),
                        new JsonObject().put("fileName", "diag.zip")},
                new Object[] {"UpdateFirmware", new JsonObject().put("location", "https://fw.example/1.2.bin")
                        .put("retrieveDate", "2025-03-01T00:00:00Z"), new JsonObject()},
                new Object[] {"SendLocalList", new JsonObject().put("listVersion", 2).put("updateType", "Full")
                        .put("localAuthorizationList", new JsonArray().add(new JsonObject().put("idTag", "A")
                                .put("idTagInfo", new JsonObject().put("status", "Accepted")))),
                        new JsonObject().put("status", "Accepted")},
                new Object[] {"SendLocalList", new JsonObject().put("listVersion", 3).put("updateType", "Differential"),
                        new JsonObject().put("status", "VersionMismatch")},
                new Object[] {"GetLocalListVersion", new JsonObject(), new JsonObject().put("listVersion", 2)},
                new Object[] {"ReserveNow", new JsonObject().put("connectorId", 1).put("expiryDate", "2030-01-01T00:00:00Z")
                        .put("idTag", "APP1").put("reservationId", 5), new JsonObject().put("status", "Accepted")},
                new Object[] {"CancelReservation", new JsonObject().put("reservationId", 5),
                        new JsonObject().put("status", "Accepted")},
                new Object[] {"SetChargingProfile", new JsonObject().put("connectorId", 1).put("csChargingProfiles", profile),
                        new JsonObject().put("status", "Accepted")},
                new Object[] {"ClearChargingProfile", new JsonObject().put("id", 7), new JsonObject().put("status", "Unknown")},
                new Object[] {"GetCompositeSchedule", new JsonObject().put("connectorId", 1).put("duration", 3600),
                        new JsonObject().put("status", "Accepted").put("connectorId", 1)});
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("commands")
    void everyCommandIsDeliveredAndItsAnswerReturned(String action, JsonObject request, JsonObject answer)
            throws Exception {
        String id = TestStation.newId("cmd");
        try (TestStation station = TestStation.connect(base, id)) {
            station.ok("Heartbeat", new JsonObject());
            CompletableFuture<Response> response = CompletableFuture.supplyAsync(() -> given()
                    .header("X-Correlation-ID", "corr-" + id).contentType("application/json").body(request.encode())
                    .post("/internal/stations/" + id + "/commands/" + action), CALLERS);
            JsonArray call = station.expectCall(action);
            assertEquals(request, call.getJsonObject(3));
            station.reply(call, answer);
            Response done = response.get(10, TimeUnit.SECONDS);
            assertEquals(200, done.statusCode(), done.asString());
            assertEquals(action, done.jsonPath().getString("action"));
            assertEquals(call.getString(1), done.jsonPath().getString("messageId"));
            assertEquals(answer, new JsonObject(done.jsonPath().getMap("payload")));

            given().get("/internal/stations/" + id + "/commands").then().statusCode(200)
                    .body("", hasSize(1)).body("[0].action", equalTo(action)).body("[0].outcome", equalTo("ANSWERED"))
                    .body("[0].correlationId", equalTo("corr-" + id));
            JsonObject event = Db.events(pool, "gateway.command.completed", id).get(0).getJsonObject("data");
            assertEquals("ANSWERED", event.getString("outcome"));
            assertEquals("corr-" + id, event.getString("correlationId"));
        }
    }

    @Test
    void callErrorTimeoutOfflineQueueFullAndValidation() throws Exception {
        String id = TestStation.newId("cmderr");
        given().contentType("application/json").body("{\"type\":\"Soft\"}")
                .post("/internal/stations/" + id + "/commands/Reset").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("STATION_OFFLINE"));
        try (TestStation station = TestStation.connect(base, id)) {
            station.ok("Heartbeat", new JsonObject());
            given().contentType("application/json").body("{\"type\":\"Gentle\"}")
                    .post("/internal/stations/" + id + "/commands/Reset").then().statusCode(400)
                    .body("code", equalTo("VALIDATION_FAILED"))
                    .body("errors[0].field", equalTo("PropertyConstraintViolation"));
            given().contentType("application/json").body("{}")
                    .post("/internal/stations/" + id + "/commands/BootNotification").then().statusCode(404)
                    .body("code", equalTo("UNKNOWN_ACTION"));

            CompletableFuture<Response> rejected = post(id, "UnlockConnector", "{\"connectorId\":1}");
            JsonArray call = station.expectCall("UnlockConnector");
            station.replyError(call, "NotSupported", "no lock");
            rejected.get(10, TimeUnit.SECONDS).then().statusCode(502).body("code", equalTo("STATION_CALL_ERROR"))
                    .body("ocppErrorCode", equalTo("NotSupported")).body("ocppErrorDescription", equalTo("no lock"));

            // One outstanding CALL; two may wait (test queue size 2); a fourth is refused at once.
            CompletableFuture<Response> first = post(id, "ClearCache", "{}");
            JsonArray inFlight = station.expectCall("ClearCache");
            CompletableFuture<Response> second = post(id, "GetLocalListVersion", "{}");
            CompletableFuture<Response> third = post(id, "Reset", "{\"type\":\"Soft\"}");
            assertTrue(station.nothingWithin(Duration.ofMillis(1000)), "no second CALL while one is outstanding");
            post(id, "Reset", "{\"type\":\"Hard\"}").get(10, TimeUnit.SECONDS).then().statusCode(503)
                    .body("code", equalTo("COMMAND_QUEUE_FULL"));
            // The station never answers: timeouts (4 s in tests) free the queue in order.
            first.get(20, TimeUnit.SECONDS).then().statusCode(504).body("code", equalTo("STATION_TIMEOUT"));
            second.get(20, TimeUnit.SECONDS).then().statusCode(504);
            third.get(20, TimeUnit.SECONDS).then().statusCode(504);
            // A late answer to the timed-out CALL is dropped; the next command works.
            station.reply(inFlight, new JsonObject().put("status", "Accepted"));
            CompletableFuture<Response> after = post(id, "ClearCache", "{}");
            JsonArray next = nextCall(station, "ClearCache");
            station.reply(next, new JsonObject().put("status", "Accepted"));
            after.get(10, TimeUnit.SECONDS).then().statusCode(200).body("payload.status", equalTo("Accepted"));

            given().get("/internal/stations/" + id + "/commands?size=2").then().statusCode(200).body("", hasSize(2));
            assertTrue(Db.count(pool, "SELECT count(*) FROM station_command WHERE station_id = $1 AND outcome = 'TIMEOUT'", id) >= 1);
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM station_command WHERE station_id = $1 AND outcome = 'CALL_ERROR' AND error_code = 'NotSupported'", id));
        }
    }

    /** A station whose socket is on another replica: the command goes through that replica's stream. */
    @Test
    void commandForAStationOnAnotherReplicaTravelsThroughItsStream() throws Exception {
        String id = TestStation.newId("remote");
        String other = "replica-b-" + id;
        redis.value(String.class).set("gw:station:" + id, other);
        String commandStream = "evpower.gateway.cmd." + other;
        CompletableFuture<Response> response = post(id, "Reset", "{\"type\":\"Soft\"}");
        StreamMessage<String, String, String> forwarded = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (forwarded == null && System.nanoTime() < deadline) {
            List<StreamMessage<String, String, String>> entries = redis.stream(String.class)
                    .xread(commandStream, "0-0", new XReadArgs().count(10));
            forwarded = entries.isEmpty() ? null : entries.get(0);
            Thread.sleep(50);
        }
        assertTrue(forwarded != null, "command forwarded");
        Map<String, String> entry = forwarded.payload();
        assertEquals(id, entry.get("stationId"));
        assertEquals("Reset", entry.get("action"));
        assertEquals("evpower.gateway.reply." + instanceId.value(), entry.get("replyTo"));
        // Replica B answers on our reply stream.
        redis.stream(String.class).xadd(entry.get("replyTo"), Map.of("requestId", entry.get("requestId"), "result",
                new JsonObject().put("status", 200).put("action", "Reset").put("messageId", "b-1")
                        .put("payload", new JsonObject().put("status", "Accepted")).encode()));
        response.get(10, TimeUnit.SECONDS).then().statusCode(200).body("messageId", equalTo("b-1"))
                .body("payload.status", equalTo("Accepted"));
        redis.key().del("gw:station:" + id, commandStream);
    }

    /** This replica serves a command forwarded by another one and answers on that replica's reply stream. */
    @Test
    void commandForwardedToThisReplicaIsDeliveredAndAnswered() throws Exception {
        String id = TestStation.newId("served");
        String replyTo = "evpower.gateway.reply.replica-a-" + id;
        try (TestStation station = TestStation.connect(base, id)) {
            station.ok("Heartbeat", new JsonObject());
            redis.stream(String.class).xadd("evpower.gateway.cmd." + instanceId.value(), Map.of("requestId", "r-" + id,
                    "stationId", id, "action", "TriggerMessage", "payload", "{\"requestedMessage\":\"Heartbeat\"}",
                    "replyTo", replyTo, "correlationId", "corr-fwd"));
            JsonArray call = station.expectCall("TriggerMessage");
            station.reply(call, new JsonObject().put("status", "Accepted"));
            JsonObject result = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (result == null && System.nanoTime() < deadline) {
                var entries = redis.stream(String.class).xread(replyTo, "0-0", new XReadArgs().count(10));
                result = entries.isEmpty() ? null : new JsonObject(entries.get(0).payload().get("result"));
                Thread.sleep(50);
            }
            assertTrue(result != null, "answer sent back");
            assertEquals(200, result.getInteger("status"));
            assertEquals("Accepted", result.getJsonObject("payload").getString("status"));
            assertEquals("corr-fwd", Db.events(pool, "gateway.command.completed", id).get(0).getJsonObject("data")
                    .getString("correlationId"));
            redis.key().del(replyTo);
        }
    }

    /** OCA: ChangeAvailability during a transaction is Scheduled; the connector goes Unavailable once it ends. */
    @Test
    void changeAvailabilityIsScheduledDuringATransaction() throws Exception {
        String id = TestStation.newId("avail");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            long txId = station.ok("StartTransaction", new JsonObject().put("connectorId", 1).put("idTag", "ANY")
                    .put("meterStart", 0).put("timestamp", "2025-03-01T08:00:00Z")).getLong("transactionId");
            station.ok("StatusNotification", status(1, "Charging"));
            CompletableFuture<Response> change = post(id, "ChangeAvailability", "{\"connectorId\":1,\"type\":\"Inoperative\"}");
            JsonArray call = station.expectCall("ChangeAvailability");
            assertEquals(new JsonObject().put("connectorId", 1).put("type", "Inoperative"), call.getJsonObject(3));
            station.reply(call, new JsonObject().put("status", "Scheduled"));
            change.get(10, TimeUnit.SECONDS).then().statusCode(200).body("payload.status", equalTo("Scheduled"));
            given().get("/internal/stations/" + id).then().statusCode(200)
                    .body("connectors.find { it.connectorId == 1 }.status", equalTo("Charging"));
            // The transaction ends; the scheduled change takes effect.
            station.ok("StopTransaction", new JsonObject().put("transactionId", txId).put("meterStop", 500)
                    .put("timestamp", "2025-03-01T08:10:00Z"));
            station.ok("StatusNotification", status(1, "Finishing"));
            station.ok("StatusNotification", status(1, "Unavailable"));
            given().get("/internal/stations/" + id).then().statusCode(200)
                    .body("connectors.find { it.connectorId == 1 }.status", equalTo("Unavailable"));
            List<String> statuses = Db.events(pool, "gateway.connector.status-changed", id).stream()
                    .map(e -> e.getJsonObject("data").getString("status")).toList();
            assertEquals(List.of("Charging", "Finishing", "Unavailable"), statuses);
            given().get("/internal/stations/" + id + "/commands").then().statusCode(200)
                    .body("[0].action", equalTo("ChangeAvailability")).body("[0].outcome", equalTo("ANSWERED"));
        }
    }

    /** OCA: GetDiagnostics and UpdateFirmware, each followed by the station's status notifications. */
    @Test
    void diagnosticsAndFirmwareWithTheirStatusNotifications() throws Exception {
        String id = TestStation.newId("diagfw");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            CompletableFuture<Response> diagnostics = post(id, "GetDiagnostics",
                    "{\"location\":\"ftp://diag.example/upload\",\"retries\":1,\"startTime\":\"2025-03-01T00:00:00Z\"}");
            station.reply(station.expectCall("GetDiagnostics"), new JsonObject().put("fileName", "diag-" + id + ".zip"));
            diagnostics.get(10, TimeUnit.SECONDS).then().statusCode(200)
                    .body("payload.fileName", equalTo("diag-" + id + ".zip"));
            station.ok("DiagnosticsStatusNotification", new JsonObject().put("status", "Uploading"));
            assertEquals("Uploading", column(id, "diagnostics_status"));
            station.ok("DiagnosticsStatusNotification", new JsonObject().put("status", "Uploaded"));
            assertEquals("Uploaded", column(id, "diagnostics_status"));

            CompletableFuture<Response> firmware = post(id, "UpdateFirmware",
                    "{\"location\":\"https://fw.example/2.0.bin\",\"retrieveDate\":\"2025-03-01T00:00:00Z\"}");
            station.reply(station.expectCall("UpdateFirmware"), new JsonObject());
            firmware.get(10, TimeUnit.SECONDS).then().statusCode(200);
            for (String status : List.of("Downloading", "Downloaded", "Installing", "Installed")) {
                station.ok("FirmwareStatusNotification", new JsonObject().put("status", status));
                assertEquals(status, column(id, "firmware_status"));
            }
            assertEquals(List.of("Uploading", "Uploaded"), Db.events(pool, "gateway.diagnostics.status-changed", id)
                    .stream().map(e -> e.getJsonObject("data").getString("status")).toList());
            assertEquals(List.of("Downloading", "Downloaded", "Installing", "Installed"),
                    Db.events(pool, "gateway.firmware.status-changed", id).stream()
                            .map(e -> e.getJsonObject("data").getString("status")).toList());
            // A station rebooting into the new firmware reports it in its BootNotification.
            station.ok("BootNotification", new JsonObject().put("chargePointVendor", "EvTest").put("chargePointModel", "T1")
                    .put("firmwareVersion", "2.0.0"));
            given().get("/internal/stations/" + id).then().statusCode(200).body("boot.firmwareVersion", equalTo("2.0.0"));
            given().get("/internal/stations/" + id + "/commands").then().statusCode(200).body("", hasSize(2))
                    .body("outcome", org.hamcrest.Matchers.everyItem(equalTo("ANSWERED")));
        }
    }

    private String column(String id, String column) {
        return Db.rows(pool, "SELECT " + column + " FROM station WHERE id = $1", id).iterator().next().getString(0);
    }

    private static JsonObject status(int connectorId, String status) {
        return new JsonObject().put("connectorId", connectorId).put("errorCode", "NoError").put("status", status);
    }

    /** The next CALL of {@code action}, skipping CALLs of commands that already timed out (sent as the queue drained). */
    private static JsonArray nextCall(TestStation station, String action) {
        for (int i = 0; i < 5; i++) {
            JsonArray frame = station.next();
            if (frame.getInteger(0) == 2 && action.equals(frame.getString(2))) {
                return frame;
            }
        }
        throw new AssertionError("no " + action + " CALL");
    }

    private static CompletableFuture<Response> post(String id, String action, String body) {
        return CompletableFuture.supplyAsync(() -> given().contentType("application/json").body(body)
                .post("/internal/stations/" + id + "/commands/" + action), CALLERS);
    }
}
