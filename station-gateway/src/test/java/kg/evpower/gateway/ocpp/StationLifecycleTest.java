package kg.evpower.gateway.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import kg.evpower.gateway.support.Db;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.platform.testing.Reactive;

/** Station-initiated messages of the OCA 1.6 central-system cases, over a real WebSocket against the real database. */
@QuarkusTest
@QuarkusTestResource(SecurityServiceStub.class)
class StationLifecycleTest {

    @TestHTTPResource("/")
    URI base;

    @org.junit.jupiter.api.BeforeEach
    void serviceToken() {
        SecurityServiceStub.useServiceToken();
    }

    @Inject
    Pool pool;

    @Test
    void coldBootIsAcceptedRecordedAndPublished() {
        String id = TestStation.newId("boot");
        try (TestStation station = TestStation.connect(base, id)) {
            assertEquals("ocpp1.6", station.subprotocol);
            JsonObject answer = station.boot();
            assertEquals("Accepted", answer.getString("status"));
            assertEquals(300, answer.getInteger("interval"));
            Instant.parse(answer.getString("currentTime"));

            Row row = Db.rows(pool, "SELECT * FROM station WHERE id = $1", id).iterator().next();
            assertEquals("EvTest", row.getString("vendor"));
            assertEquals("SN-" + id, row.getString("serial_number"));
            assertEquals("Accepted", row.getString("registration_status"));
            assertTrue(row.getBoolean("connected"));

            JsonObject booted = Db.events(pool, "gateway.station.booted", id).get(0);
            assertEquals("station-gateway", booted.getString("source"));
            JsonObject data = booted.getJsonObject("data");
            assertEquals(id, data.getString("chargePointId"));
            assertEquals("T1", data.getString("model"));
            assertEquals("1.0.0", data.getString("firmwareVersion"));
            assertEquals("Accepted", data.getString("registrationStatus"));
            assertEquals(1, Db.events(pool, "gateway.station.connected", id).size());

            JsonObject heartbeat = station.ok("Heartbeat", new JsonObject());
            Instant.parse(heartbeat.getString("currentTime"));
        }
        Reactive.eventually("disconnection recorded", Duration.ofSeconds(5),
                () -> Db.events(pool, "gateway.station.disconnected", id).size() == 1);
        assertEquals(false, Db.rows(pool, "SELECT connected FROM station WHERE id = $1", id).iterator().next()
                .getBoolean(0));
    }

    @Test
    void outOfServiceStationBootsPendingAndIsMadeInoperative() {
        String id = TestStation.newId("oos");
        SecurityServiceStub.register(id, "pw-" + id, "OUT_OF_SERVICE");
        try (TestStation station = TestStation.connect(base, "/ocpp/", id, TestStation.basic(id, "pw-" + id),
                "ocpp1.6")) {
            JsonObject answer = station.boot();
            assertEquals("Pending", answer.getString("status"));
            JsonArray change = station.expectCall("ChangeAvailability");
            assertEquals(0, change.getJsonObject(3).getInteger("connectorId"));
            assertEquals("Inoperative", change.getJsonObject(3).getString("type"));
            station.reply(change, new JsonObject().put("status", "Accepted"));
        }
    }

    @Test
    void statusNotificationsPerConnectorIncludingZeroAndFaults() {
        String id = TestStation.newId("status");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            station.ok("StatusNotification", new JsonObject().put("connectorId", 0).put("errorCode", "NoError")
                    .put("status", "Available"));
            station.ok("StatusNotification", new JsonObject().put("connectorId", 1).put("errorCode", "NoError")
                    .put("status", "Available").put("timestamp", "2025-01-01T10:00:00Z"));
            station.ok("StatusNotification", new JsonObject().put("connectorId", 1).put("errorCode", "GroundFailure")
                    .put("status", "Faulted").put("info", "RCD tripped").put("vendorErrorCode", "E42"));

            RestAssured.given().get("/internal/stations/" + id).then().statusCode(200)
                    .body("id", org.hamcrest.Matchers.equalTo(id))
                    .body("connected", org.hamcrest.Matchers.equalTo(true))
                    .body("instanceId", org.hamcrest.Matchers.notNullValue())
                    .body("heartbeatIntervalSeconds", org.hamcrest.Matchers.equalTo(300))
                    .body("boot.vendor", org.hamcrest.Matchers.equalTo("EvTest"))
                    .body("boot.status", org.hamcrest.Matchers.equalTo("Accepted"))
                    .body("connectors.size()", org.hamcrest.Matchers.equalTo(2))
                    .body("connectors[1].connectorId", org.hamcrest.Matchers.equalTo(1))
                    .body("connectors[1].status", org.hamcrest.Matchers.equalTo("Faulted"))
                    .body("connectors[1].errorCode", org.hamcrest.Matchers.equalTo("GroundFailure"));
            RestAssured.given().get("/internal/stations").then().statusCode(200)
                    .body("id", org.hamcrest.Matchers.hasItem(id));

            List<JsonObject> events = Db.events(pool, "gateway.connector.status-changed", id);
            assertEquals(3, events.size());
            JsonObject fault = events.get(2).getJsonObject("data");
            assertEquals("Faulted", fault.getString("status"));
            assertEquals("GroundFailure", fault.getString("errorCode"));
            assertEquals("RCD tripped", fault.getString("info"));
            assertEquals("E42", fault.getString("vendorErrorCode"));
            assertEquals("2025-01-01T10:00:00Z", events.get(1).getJsonObject("data").getString("timestamp"));
        }
        RestAssured.given().get("/internal/stations/never-seen-station").then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("STATION_NOT_FOUND"));
    }

    @Test
    void authorizeValidInvalidExpiredBlockedAndParent() {
        String id = TestStation.newId("auth");
        String tag = "T" + id.substring(id.length() - 8);
        putTag(tag, new JsonObject().put("status", "Accepted").put("parentIdTag", "PARENT1").put("clientId", "c-1"));
        putTag(tag + "X", new JsonObject().put("status", "Accepted").put("expiryDate", "2020-01-01T00:00:00Z"));
        putTag(tag + "B", new JsonObject().put("status", "Blocked"));
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            JsonObject valid = station.ok("Authorize", new JsonObject().put("idTag", tag)).getJsonObject("idTagInfo");
            assertEquals("Accepted", valid.getString("status"));
            assertEquals("PARENT1", valid.getString("parentIdTag"));
            assertEquals("Invalid", station.ok("Authorize", new JsonObject().put("idTag", "NOPE-" + tag.substring(1)))
                    .getJsonObject("idTagInfo").getString("status"));
            assertEquals("Expired", station.ok("Authorize", new JsonObject().put("idTag", tag + "X"))
                    .getJsonObject("idTagInfo").getString("status"));
            assertEquals("Blocked", station.ok("Authorize", new JsonObject().put("idTag", tag + "B"))
                    .getJsonObject("idTagInfo").getString("status"));
            assertEquals(4, Db.count(pool, "SELECT count(*) FROM station_message WHERE station_id = $1 AND action = 'Authorize'", id));
            assertEquals(4, Db.events(pool, "gateway.id-tag.authorized", id).size());
        }
        RestAssured.given().get("/internal/id-tags/" + tag).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("Accepted"))
                .body("clientId", org.hamcrest.Matchers.equalTo("c-1"));
        RestAssured.given().delete("/internal/id-tags/" + tag).then().statusCode(204);
        RestAssured.given().get("/internal/id-tags/" + tag).then().statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("ID_TAG_NOT_FOUND"));
        RestAssured.given().contentType("application/json").body("{\"status\":\"Maybe\"}")
                .put("/internal/id-tags/" + tag).then().statusCode(400)
                .body("code", org.hamcrest.Matchers.equalTo("VALIDATION_FAILED"));
    }

    @Test
    void transactionWithMeterValuesRetriesAndIdempotentStop() {
        String id = TestStation.newId("tx");
        String tag = "TX" + id.substring(id.length() - 8);
        putTag(tag, new JsonObject().put("status", "Accepted"));
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            JsonObject start = new JsonObject().put("connectorId", 1).put("idTag", tag).put("meterStart", 1000)
                    .put("timestamp", "2025-03-01T08:00:00.000Z");
            JsonObject started = station.ok("StartTransaction", start);
            long txId = started.getLong("transactionId");
            assertTrue(txId > 0);
            assertEquals("Accepted", started.getJsonObject("idTagInfo").getString("status"));
            // A retried StartTransaction (lost answer) gets the same id and no second event.
            assertEquals(txId, station.ok("StartTransaction", start).getLong("transactionId"));
            assertEquals(1, Db.events(pool, "gateway.transaction.started", id).size());
            JsonObject startedEvent = Db.events(pool, "gateway.transaction.started", id).get(0).getJsonObject("data");
            assertEquals(txId, startedEvent.getLong("transactionId"));
            assertEquals(1000L, startedEvent.getLong("meterStartWh"));
            assertTrue(startedEvent.containsKey("reservationId"));
            assertNull(startedEvent.getValue("reservationId"));

            // Another transaction gets another id from the sequence.
            long other = station.ok("StartTransaction", start.copy().put("connectorId", 2)).getLong("transactionId");
            assertNotEquals(txId, other);

            station.ok("MeterValues", new JsonObject().put("connectorId", 1).put("transactionId", txId)
                    .put("meterValue", new JsonArray().add(new JsonObject().put("timestamp", "2025-03-01T08:05:00Z")
                            .put("sampledValue", new JsonArray()
                                    .add(new JsonObject().put("value", "1.5").put("unit", "kWh")
                                            .put("measurand", "Energy.Active.Import.Register")
                                            .put("context", "Sample.Periodic"))
                                    .add(new JsonObject().put("value", "7.2").put("unit", "kW")
                                            .put("measurand", "Power.Active.Import"))
                                    .add(new JsonObject().put("value", "230.1").put("unit", "V")
                                            .put("measurand", "Voltage").put("phase", "L1-N"))
                                    .add(new JsonObject().put("value", "64").put("unit", "Percent")
                                            .put("measurand", "SoC").put("location", "EV"))))));
            JsonObject meter = Db.events(pool, "gateway.meter.values", id).get(0).getJsonObject("data");
            assertEquals(1500L, meter.getLong("energyRegisterWh"));
            assertEquals(7200L, meter.getLong("powerW"));
            assertEquals(64, meter.getInteger("socPercent"));
            assertEquals(txId, meter.getLong("transactionId"));
            Row stored = Db.rows(pool, "SELECT * FROM meter_value WHERE transaction_id = $1", txId).iterator().next();
            assertEquals(1500L, stored.getLong("energy_register_wh"));
            assertTrue(stored.getValue("samples").toString().contains("L1-N"), "raw samples kept");

            // Meter values outside a transaction, default measurand and unit (Wh).
            station.ok("MeterValues", new JsonObject().put("connectorId", 2).put("meterValue", new JsonArray()
                    .add(new JsonObject().put("timestamp", "2025-03-01T08:06:00Z")
                            .put("sampledValue", new JsonArray().add(new JsonObject().put("value", "12345"))))));
            JsonObject plain = Db.events(pool, "gateway.meter.values", id).get(1).getJsonObject("data");
            assertEquals(12345L, plain.getLong("energyRegisterWh"));
            assertNull(plain.getValue("transactionId"));
            assertNull(plain.getValue("powerW"));

            JsonObject stop = new JsonObject().put("transactionId", txId).put("meterStop", 9500)
                    .put("timestamp", "2025-03-01T09:00:00Z").put("reason", "EVDisconnected").put("idTag", tag)
                    .put("transactionData", new JsonArray().add(new JsonObject().put("timestamp", "2025-03-01T09:00:00Z")
                            .put("sampledValue", new JsonArray().add(new JsonObject().put("value", "9500")
                                    .put("context", "Transaction.End")))));
            assertEquals("Accepted", station.ok("StopTransaction", stop).getJsonObject("idTagInfo").getString("status"));
            // Retried StopTransaction: same answer, nothing changes.
            assertEquals("Accepted", station.ok("StopTransaction", stop).getJsonObject("idTagInfo").getString("status"));
            List<JsonObject> stopped = Db.events(pool, "gateway.transaction.stopped", id);
            assertEquals(1, stopped.size());
            JsonObject data = stopped.get(0).getJsonObject("data");
            assertEquals(8500L, data.getLong("energyWh"));
            assertEquals(1000L, data.getLong("meterStartWh"));
            assertEquals(9500L, data.getLong("meterStopWh"));
            assertEquals("EVDisconnected", data.getString("reason"));
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM meter_value WHERE transaction_id = $1 AND energy_register_wh = 9500", txId));

            // Stop without idTag (default reason Local) answers without idTagInfo.
            JsonObject stop2 = station.ok("StopTransaction", new JsonObject().put("transactionId", other)
                    .put("meterStop", 1000).put("timestamp", "2025-03-01T09:01:00Z"));
            assertNull(stop2.getValue("idTagInfo"));
            assertEquals("Local", Db.events(pool, "gateway.transaction.stopped", id).get(1).getJsonObject("data")
                    .getString("reason"));

            // Stop of an unknown transaction is still accepted (the station must not retry forever) and kept.
            station.ok("StopTransaction", new JsonObject().put("transactionId", 999999999).put("meterStop", 1)
                    .put("timestamp", "2025-03-01T09:02:00Z"));
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM station_message WHERE station_id = $1 AND action = 'StopTransaction'", id));
        }
    }

    @Test
    void startTransactionWithUnknownTagStillGetsAnIdAndInvalid() {
        String id = TestStation.newId("txinv");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            JsonObject answer = station.ok("StartTransaction", new JsonObject().put("connectorId", 1)
                    .put("idTag", "UNKNOWN-TAG").put("meterStart", 0).put("timestamp", "2025-03-01T08:00:00Z"));
            assertTrue(answer.getLong("transactionId") > 0);
            assertEquals("Invalid", answer.getJsonObject("idTagInfo").getString("status"));
        }
    }

    @Test
    void dataTransferDiagnosticsFirmwareAndSecurityEvents() {
        String id = TestStation.newId("misc");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            assertEquals("UnknownVendorId", station.ok("DataTransfer", new JsonObject().put("vendorId", "com.acme")
                    .put("messageId", "hello").put("data", "{\"x\":1}")).getString("status"));
            assertEquals("com.acme", Db.events(pool, "gateway.data-transfer.received", id).get(0)
                    .getJsonObject("data").getString("vendorId"));
            station.ok("DiagnosticsStatusNotification", new JsonObject().put("status", "Uploaded"));
            station.ok("FirmwareStatusNotification", new JsonObject().put("status", "Installed"));
            station.ok("SecurityEventNotification", new JsonObject().put("type", "FirmwareUpdated")
                    .put("timestamp", "2025-03-01T08:00:00Z").put("techInfo", "v2"));
            Row row = Db.rows(pool, "SELECT diagnostics_status, firmware_status FROM station WHERE id = $1", id)
                    .iterator().next();
            assertEquals("Uploaded", row.getString(0));
            assertEquals("Installed", row.getString(1));
            assertEquals("Installed", Db.events(pool, "gateway.firmware.status-changed", id).get(0)
                    .getJsonObject("data").getString("status"));
            assertEquals("Uploaded", Db.events(pool, "gateway.diagnostics.status-changed", id).get(0)
                    .getJsonObject("data").getString("status"));
            assertEquals("FirmwareUpdated", Db.events(pool, "gateway.security.event-received", id).get(0)
                    .getJsonObject("data").getString("type"));
        }
    }

    @Test
    void reconnectWithQueuedTransactionMessages() {
        String id = TestStation.newId("queued");
        String tag = "Q" + id.substring(id.length() - 8);
        putTag(tag, new JsonObject().put("status", "Accepted"));
        long txId;
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            txId = station.ok("StartTransaction", new JsonObject().put("connectorId", 1).put("idTag", tag)
                    .put("meterStart", 0).put("timestamp", "2025-03-01T08:00:00Z")).getLong("transactionId");
        }
        // Offline meanwhile; on reconnect the station delivers what it queued, in order.
        try (TestStation station = TestStation.connect(base, "/ws/", id, TestStation.basic(id, "secret-" + id),
                "ocpp1.6")) {
            station.boot();
            station.ok("MeterValues", new JsonObject().put("connectorId", 1).put("transactionId", txId)
                    .put("meterValue", new JsonArray().add(new JsonObject().put("timestamp", "2025-03-01T08:30:00Z")
                            .put("sampledValue", new JsonArray().add(new JsonObject().put("value", "3000"))))));
            station.ok("StopTransaction", new JsonObject().put("transactionId", txId).put("meterStop", 4000)
                    .put("timestamp", "2025-03-01T08:45:00Z"));
            assertEquals(4000L, Db.events(pool, "gateway.transaction.stopped", id).get(0).getJsonObject("data")
                    .getLong("energyWh"));
        }
    }

    /**
     * OCA: a transaction run entirely while the station was offline is delivered after the reconnect, in order, with a
     * StartTransaction whose answer was lost resent: everything accepted, the one transaction id used throughout.
     */
    @Test
    void reconnectDeliversATransactionRunWhileOffline() {
        String id = TestStation.newId("offtx");
        String tag = "O" + id.substring(id.length() - 8);
        putTag(tag, new JsonObject().put("status", "Accepted"));
        JsonObject start = new JsonObject().put("connectorId", 2).put("idTag", tag).put("meterStart", 5000)
                .put("timestamp", "2025-03-01T10:00:00Z");
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            station.ok("Heartbeat", new JsonObject());
        }
        long txId;
        try (TestStation station = TestStation.connect(base, "/ws/", id, TestStation.basic(id, "secret-" + id),
                "ocpp1.6")) {
            station.boot();
            txId = station.ok("StartTransaction", start).getLong("transactionId");
            station.ok("MeterValues", new JsonObject().put("connectorId", 2).put("transactionId", txId)
                    .put("meterValue", new JsonArray().add(new JsonObject().put("timestamp", "2025-03-01T10:15:00Z")
                            .put("sampledValue", new JsonArray().add(new JsonObject().put("value", "6500"))))));
            // The connection dropped before the answer above arrived: the station resends after the next reconnect.
        }
        try (TestStation station = TestStation.connect(base, id)) {
            station.boot();
            JsonObject again = station.ok("StartTransaction", start);
            assertEquals(txId, again.getLong("transactionId"), "a resent StartTransaction gets the same id");
            assertEquals("Accepted", again.getJsonObject("idTagInfo").getString("status"));
            station.ok("MeterValues", new JsonObject().put("connectorId", 2).put("transactionId", txId)
                    .put("meterValue", new JsonArray().add(new JsonObject().put("timestamp", "2025-03-01T10:30:00Z")
                            .put("sampledValue", new JsonArray().add(new JsonObject().put("value", "8000"))))));
            JsonObject stopped = station.ok("StopTransaction", new JsonObject().put("transactionId", txId)
                    .put("meterStop", 9000).put("idTag", tag).put("timestamp", "2025-03-01T10:40:00Z")
                    .put("reason", "Local"));
            assertEquals("Accepted", stopped.getJsonObject("idTagInfo").getString("status"));
        }
        assertEquals(1, Db.events(pool, "gateway.transaction.started", id).size());
        assertEquals(txId, Db.events(pool, "gateway.transaction.started", id).get(0).getJsonObject("data")
                .getLong("transactionId"));
        List<JsonObject> meters = Db.events(pool, "gateway.meter.values", id);
        assertEquals(List.of(6500L, 8000L), meters.stream().map(e -> e.getJsonObject("data").getLong("energyRegisterWh"))
                .toList());
        assertTrue(meters.stream().allMatch(e -> e.getJsonObject("data").getLong("transactionId") == txId));
        List<JsonObject> stopped = Db.events(pool, "gateway.transaction.stopped", id);
        assertEquals(1, stopped.size());
        assertEquals(txId, stopped.get(0).getJsonObject("data").getLong("transactionId"));
        assertEquals(4000L, stopped.get(0).getJsonObject("data").getLong("energyWh"));
        assertEquals(1, Db.count(pool, "SELECT count(*) FROM ocpp_transaction WHERE station_id = $1", id));
    }

    private static void putTag(String tag, JsonObject body) {
        RestAssured.given().contentType("application/json").body(body.encode()).put("/internal/id-tags/" + tag)
                .then().statusCode(200);
    }
}
