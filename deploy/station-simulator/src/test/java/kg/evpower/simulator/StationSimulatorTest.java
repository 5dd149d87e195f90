package kg.evpower.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import kg.evpower.simulator.ocpp.FrameCodec;
import kg.evpower.simulator.ocpp.OcppFrame;
import kg.evpower.simulator.runtime.MessageLog;
import kg.evpower.simulator.runtime.SimulatorRuntime;
import kg.evpower.simulator.station.StationMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stations against a central system played by a Vert.x WebSocket server, over real sockets. */
class StationSimulatorTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private CentralSystemStub cs;
    private SimulatorRuntime runtime;
    private Simulator simulator;

    @BeforeEach
    void setUp() throws Exception {
        cs = new CentralSystemStub();
        runtime = new SimulatorRuntime(2, 1);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (simulator != null) {
            simulator.stop(Duration.ofSeconds(2));
        }
        runtime.close();
        cs.close();
    }

    private void start(String id, String... extra) {
        List<String> args = new ArrayList<>(List.of("--url", cs.url(), "--ids", id, "--connectors", "2",
                "--password", "s3cret-key-0001", "--meter-interval", "0.2", "--backoff-min", "0.1",
                "--backoff-max", "0.3", "--step-delay", "0.1", "--call-timeout", "3", "--verbose"));
        args.addAll(List.of(extra));
        SimulatorOptions options = SimulatorOptions.parse(args.toArray(String[]::new));
        simulator = Simulator.start(options, runtime, StationMetrics.NONE, new MessageLog(System.err, true, false), true);
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) FrameCodec.MAPPER.readTree(text);
    }

    private static JsonNode result(OcppFrame frame) {
        return assertInstanceOf(OcppFrame.CallResult.class, frame, () -> "expected a CALLRESULT, got " + frame).payload();
    }

    @Test
    void bootAcceptedReportsEveryConnectorAndHeartbeatsAtTheInterval() throws Exception {
        cs.heartbeatInterval = 1;
        start("BOOT-1");
        CentralSystemStub.Received boot = cs.await("BOOT-1", "BootNotification", WAIT);
        assertEquals("EvPower", boot.payload().get("chargePointVendor").asText());
        assertEquals("SimCharger-22", boot.payload().get("chargePointModel").asText());
        assertEquals("SN-BOOT-1", boot.payload().get("chargePointSerialNumber").asText());

        CentralSystemStub.Handshake handshake = cs.handshakes.getFirst();
        assertEquals("/ocpp/BOOT-1", handshake.path());
        assertEquals("ocpp1.6", handshake.subprotocol());
        String expected = "Basic " + Base64.getEncoder().encodeToString("BOOT-1:s3cret-key-0001".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, handshake.authorization());

        for (int connector = 0; connector <= 2; connector++) {
            int id = connector;
            CentralSystemStub.Received status = cs.await(r -> r.action().equals("StatusNotification")
                    && r.payload().get("connectorId").asInt() == id, WAIT, "status of " + id);
            assertEquals("Available", status.payload().get("status").asText());
            assertEquals("NoError", status.payload().get("errorCode").asText());
        }
        CentralSystemStub.Received first = cs.await("BOOT-1", "Heartbeat", WAIT);
        CentralSystemStub.Received second = cs.await("BOOT-1", "Heartbeat", WAIT);
        double afterBoot = (first.atNanos() - boot.atNanos()) / 1e9;
        double between = (second.atNanos() - first.atNanos()) / 1e9;
        assertTrue(afterBoot > 0.8 && afterBoot < 2.0, "first heartbeat " + afterBoot + " s after boot");
        assertTrue(between > 0.8 && between < 1.6, "heartbeats " + between + " s apart");
    }

    @Test
    void pendingBootIsRetriedAfterTheIntervalAndNothingElseIsSentMeanwhile() throws Exception {
        AtomicInteger boots = new AtomicInteger();
        cs.responder = r -> r.action().equals("BootNotification")
                ? CentralSystemStub.Answer.result(CentralSystemStub.boot(boots.incrementAndGet() == 1 ? "Pending" : "Accepted", 1))
                : null;
        start("PEND-1");
        CentralSystemStub.Received first = cs.await("PEND-1", "BootNotification", WAIT);
        // While pending the station still answers the central system.
        JsonNode config = result(cs.call("PEND-1", "GetConfiguration", json("{\"key\":[\"NumberOfConnectors\"]}")));
        assertEquals("2", config.get("configurationKey").get(0).get("value").asText());

        CentralSystemStub.Received second = cs.await("PEND-1", "BootNotification", WAIT);
        double gap = (second.atNanos() - first.atNanos()) / 1e9;
        assertTrue(gap > 0.8 && gap < 2.5, "boot retried after " + gap + " s");
        cs.await("PEND-1", "StatusNotification", WAIT);
        List<String> order = cs.all("PEND-1").stream().map(CentralSystemStub.Received::action).toList();
        assertEquals(List.of("BootNotification", "BootNotification"), order.subList(0, 2), order.toString());
    }

    @Test
    void rejectedBootIsRetriedAndCommandsAreNotAnsweredMeanwhile() throws Exception {
        AtomicInteger boots = new AtomicInteger();
        cs.responder = r -> r.action().equals("BootNotification")
                ? CentralSystemStub.Answer.result(CentralSystemStub.boot(boots.incrementAndGet() == 1 ? "Rejected" : "Accepted", 1))
                : null;
        start("REJ-1");
        cs.await("REJ-1", "BootNotification", WAIT);
        Thread.sleep(100);
        assertThrows(java.util.concurrent.TimeoutException.class,
                () -> cs.call("REJ-1", "GetConfiguration", FrameCodec.object(), Duration.ofMillis(400)));
        cs.await("REJ-1", "BootNotification", WAIT);
        cs.await("REJ-1", "StatusNotification", WAIT);
    }

    @Test
    void remoteStartAuthorizesFirstWhenConfiguredTo() throws Exception {
        cs.responder = r -> {
            if (r.action().equals("Authorize") && r.payload().get("idTag").asText().equals("BLOCKED")) {
                ObjectNode answer = FrameCodec.object();
                answer.putObject("idTagInfo").put("status", "Blocked");
                return CentralSystemStub.Answer.result(answer);
            }
            return null;
        };
        start("AUTH-1");
        booted("AUTH-1");
        assertEquals("Accepted", status("AUTH-1", "ChangeConfiguration", "{\"key\":\"AuthorizeRemoteTxRequests\",\"value\":\"true\"}"));
        assertEquals("Accepted", status("AUTH-1", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"BLOCKED\"}"));
        cs.await("AUTH-1", "Authorize", WAIT);
        cs.await(r -> r.stationId().equals("AUTH-1") && r.action().equals("StatusNotification")
                && r.payload().get("connectorId").asInt() == 1 && r.payload().get("status").asText().equals("Available"),
                WAIT, "connector back to Available");
        assertEquals("Accepted", status("AUTH-1", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"GOOD\"}"));
        assertEquals("GOOD", cs.await("AUTH-1", "Authorize", WAIT).payload().get("idTag").asText());
        assertEquals("GOOD", cs.await("AUTH-1", "StartTransaction", WAIT).payload().get("idTag").asText());
        assertEquals(1, cs.all("AUTH-1").stream().filter(r -> r.action().equals("StartTransaction")).count());
    }

    @Test
    void remoteStartMetersAndRemoteStopEndsWithConsistentMeterValues() throws Exception {
        start("TX-1", "--power-kw", "36");
        booted("TX-1");
        JsonNode answer = result(cs.call("TX-1", "RemoteStartTransaction", json("{\"connectorId\":1,\"idTag\":\"TAG-1\"}")));
        assertEquals("Accepted", answer.get("status").asText());

        CentralSystemStub.Received start = cs.await("TX-1", "StartTransaction", WAIT);
        assertEquals(1, start.payload().get("connectorId").asInt());
        assertEquals("TAG-1", start.payload().get("idTag").asText());
        long meterStart = start.payload().get("meterStart").asLong();
        int transactionId = 1001;

        long previous = meterStart;
        for (int i = 0; i < 3; i++) {
            CentralSystemStub.Received meter = cs.await("TX-1", "MeterValues", WAIT);
            assertEquals(transactionId, meter.payload().get("transactionId").asInt());
            long energy = energy(meter.payload().get("meterValue").get(0));
            assertTrue(energy >= previous, "meter goes forward: " + energy + " after " + previous);
            previous = energy;
        }
        // A connector in a transaction refuses a second start.
        assertEquals("Rejected", result(cs.call("TX-1", "RemoteStartTransaction",
                json("{\"connectorId\":1,\"idTag\":\"TAG-2\"}"))).get("status").asText());
        assertEquals("Rejected", result(cs.call("TX-1", "RemoteStopTransaction",
                json("{\"transactionId\":999}"))).get("status").asText());
        assertEquals("Accepted", result(cs.call("TX-1", "RemoteStopTransaction",
                json("{\"transactionId\":" + transactionId + "}"))).get("status").asText());

        CentralSystemStub.Received stop = cs.await("TX-1", "StopTransaction", WAIT);
        assertEquals(transactionId, stop.payload().get("transactionId").asInt());
        assertEquals("Remote", stop.payload().get("reason").asText());
        long meterStop = stop.payload().get("meterStop").asLong();
        assertTrue(meterStop >= previous, "meterStop " + meterStop + " after last sample " + previous);
        double seconds = Duration.between(Instant.parse(start.payload().get("timestamp").asText()),
                Instant.parse(stop.payload().get("timestamp").asText())).toMillis() / 1000.0;
        double expectedWh = 36_000 * seconds / 3600;
        assertTrue(Math.abs((meterStop - meterStart) - expectedWh) <= 2 + expectedWh * 0.05,
                "energy " + (meterStop - meterStart) + " Wh for " + seconds + " s at 36 kW");

        cs.await(r -> r.action().equals("StatusNotification") && r.payload().get("connectorId").asInt() == 1
                && r.payload().get("status").asText().equals("Finishing"), WAIT, "Finishing");
        Thread.sleep(300);
        List<String> statuses = cs.all("TX-1").stream()
                .filter(r -> r.action().equals("StatusNotification") && r.payload().get("connectorId").asInt() == 1)
                .map(r -> r.payload().get("status").asText()).toList();
        assertEquals(List.of("Available", "Preparing", "Charging", "Finishing", "Available"), statuses);
    }

    private static long energy(JsonNode meterValue) {
        for (JsonNode sample : meterValue.get("sampledValue")) {
            if (sample.get("measurand").asText().equals("Energy.Active.Import.Register")) {
                return Long.parseLong(sample.get("value").asText());
            }
        }
        throw new AssertionError("no energy register in " + meterValue);
    }

    @Test
    void answersCentralSystemCommands() throws Exception {
        start("CMD-1");
        booted("CMD-1");
        String id = "CMD-1";

        JsonNode config = result(cs.call(id, "GetConfiguration", json("{\"key\":[\"HeartbeatInterval\",\"NoSuchKey\"]}")));
        assertEquals("HeartbeatInterval", config.get("configurationKey").get(0).get("key").asText());
        assertFalse(config.get("configurationKey").get(0).get("readonly").asBoolean());
        assertEquals("NoSuchKey", config.get("unknownKey").get(0).asText());
        assertTrue(result(cs.call(id, "GetConfiguration", json("{}"))).get("configurationKey").size() > 20);

        assertEquals("Rejected", status(id, "ChangeConfiguration", "{\"key\":\"NumberOfConnectors\",\"value\":\"4\"}"));
        assertEquals("NotSupported", status(id, "ChangeConfiguration", "{\"key\":\"NoSuchKey\",\"value\":\"1\"}"));
        assertEquals("Rejected", status(id, "ChangeConfiguration", "{\"key\":\"HeartbeatInterval\",\"value\":\"soon\"}"));
        assertEquals("Accepted", status(id, "ChangeConfiguration", "{\"key\":\"HeartbeatInterval\",\"value\":\"120\"}"));
        assertEquals("120", result(cs.call(id, "GetConfiguration", json("{\"key\":[\"HeartbeatInterval\"]}")))
                .get("configurationKey").get(0).get("value").asText());

        assertEquals("Accepted", status(id, "ClearCache", "{}"));
        assertEquals("UnknownVendorId", status(id, "DataTransfer", "{\"vendorId\":\"Other\"}"));
        assertEquals("Accepted", status(id, "DataTransfer", "{\"vendorId\":\"EvPower\",\"data\":\"x\"}"));
        assertEquals("NotSupported", status(id, "UnlockConnector", "{\"connectorId\":9}"));
        assertEquals("Unlocked", status(id, "UnlockConnector", "{\"connectorId\":1}"));
        assertEquals("Rejected", status(id, "ChangeAvailability", "{\"connectorId\":9,\"type\":\"Inoperative\"}"));

        // Reservation: reserved connector refuses another reservation, cancel frees it.
        String expiry = Instant.now().plusSeconds(60).toString();
        assertEquals("Accepted", status(id, "ReserveNow", "{\"connectorId\":2,\"expiryDate\":\"" + expiry
                + "\",\"idTag\":\"R1\",\"reservationId\":7}"));
        assertEquals("Occupied", status(id, "ReserveNow", "{\"connectorId\":2,\"expiryDate\":\"" + expiry
                + "\",\"idTag\":\"R2\",\"reservationId\":8}"));
        assertEquals("Rejected", status(id, "ReserveNow", "{\"connectorId\":0,\"expiryDate\":\"" + expiry
                + "\",\"idTag\":\"R2\",\"reservationId\":9}"));
        assertEquals("Rejected", status(id, "CancelReservation", "{\"reservationId\":99}"));
        assertEquals("Accepted", status(id, "CancelReservation", "{\"reservationId\":7}"));

        // Local list.
        assertEquals(0, result(cs.call(id, "GetLocalListVersion", json("{}"))).get("listVersion").asInt());
        assertEquals("Accepted", status(id, "SendLocalList", "{\"listVersion\":3,\"updateType\":\"Full\","
                + "\"localAuthorizationList\":[{\"idTag\":\"A\",\"idTagInfo\":{\"status\":\"Accepted\"}}]}"));
        assertEquals("VersionMismatch", status(id, "SendLocalList", "{\"listVersion\":2,\"updateType\":\"Differential\"}"));
        assertEquals(3, result(cs.call(id, "GetLocalListVersion", json("{}"))).get("listVersion").asInt());

        // Smart charging.
        String profile = "{\"connectorId\":0,\"csChargingProfiles\":{\"chargingProfileId\":5,\"stackLevel\":0,"
                + "\"chargingProfilePurpose\":\"ChargePointMaxProfile\",\"chargingProfileKind\":\"Absolute\","
                + "\"chargingSchedule\":{\"chargingRateUnit\":\"W\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":7000}]}}}";
        assertEquals("Accepted", status(id, "SetChargingProfile", profile));
        JsonNode composite = result(cs.call(id, "GetCompositeSchedule", json("{\"connectorId\":1,\"duration\":600}")));
        assertEquals("Accepted", composite.get("status").asText());
        assertEquals(7000.0, composite.get("chargingSchedule").get("chargingSchedulePeriod").get(0).get("limit").asDouble());
        assertEquals("Rejected", status(id, "SetChargingProfile", profile.replace("\"connectorId\":0", "\"connectorId\":1")));
        assertEquals("Rejected", status(id, "SetChargingProfile", profile.replace("ChargePointMaxProfile", "TxProfile")
                .replace("\"connectorId\":0", "\"connectorId\":1")));
        assertEquals("Accepted", status(id, "ClearChargingProfile", "{\"id\":5}"));
        assertEquals("Unknown", status(id, "ClearChargingProfile", "{\"id\":5}"));
        assertEquals("Rejected", status(id, "GetCompositeSchedule", "{\"connectorId\":9,\"duration\":60}"));

        // Trigger: accepted, then the triggered message follows.
        assertEquals("Accepted", status(id, "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}"));
        cs.await(id, "Heartbeat", WAIT);
        assertEquals("Rejected", status(id, "TriggerMessage", "{\"requestedMessage\":\"StatusNotification\",\"connectorId\":7}"));

        // Diagnostics and firmware report their steps.
        JsonNode diagnostics = result(cs.call(id, "GetDiagnostics", json("{\"location\":\"ftp://127.0.0.1/diag\"}")));
        assertTrue(diagnostics.get("fileName").asText().startsWith("diagnostics-CMD-1"));
        assertEquals("Uploading", cs.await(id, "DiagnosticsStatusNotification", WAIT).payload().get("status").asText());
        assertEquals("Uploaded", cs.await(id, "DiagnosticsStatusNotification", WAIT).payload().get("status").asText());
        result(cs.call(id, "UpdateFirmware", json("{\"location\":\"http://127.0.0.1/fw.bin\",\"retrieveDate\":\""
                + Instant.now() + "\"}")));
        for (String step : List.of("Downloading", "Downloaded", "Installing", "Installed")) {
            assertEquals(step, cs.await(id, "FirmwareStatusNotification", WAIT).payload().get("status").asText());
        }
        CentralSystemStub.Received reboot = cs.await(id, "BootNotification", WAIT);
        assertTrue(reboot.payload().get("firmwareVersion").asText().startsWith("sim-"));

        // Unknown or wrongly directed actions and broken payloads get CALLERRORs.
        assertEquals("NotImplemented", errorCode(cs.call(id, "FlyToTheMoon", json("{}"))));
        assertEquals("NotSupported", errorCode(cs.call(id, "Heartbeat", json("{}"))));
        assertEquals("OccurenceConstraintViolation", errorCode(cs.call(id, "RemoteStartTransaction", json("{}"))));
        assertEquals("TypeConstraintViolation", errorCode(cs.call(id, "UnlockConnector", json("{\"connectorId\":\"one\"}"))));
        assertEquals("PropertyConstraintViolation", errorCode(cs.call(id, "Reset", json("{\"type\":\"Medium\"}"))));
    }

    @Test
    void changeAvailabilityIsScheduledDuringATransactionAndResetReboots() throws Exception {
        start("AV-1");
        booted("AV-1");
        assertEquals("Accepted", status("AV-1", "RemoteStartTransaction", "{\"idTag\":\"TAG-9\"}"));
        CentralSystemStub.Received start = cs.await("AV-1", "StartTransaction", WAIT);
        assertEquals(1, start.payload().get("connectorId").asInt(), "the first free connector is used");
        assertEquals("Scheduled", status("AV-1", "ChangeAvailability", "{\"connectorId\":1,\"type\":\"Inoperative\"}"));
        assertEquals("Accepted", status("AV-1", "ChangeAvailability", "{\"connectorId\":2,\"type\":\"Inoperative\"}"));
        cs.await(r -> r.action().equals("StatusNotification") && r.payload().get("connectorId").asInt() == 2
                && r.payload().get("status").asText().equals("Unavailable"), WAIT, "connector 2 unavailable");

        assertEquals("Accepted", status("AV-1", "Reset", "{\"type\":\"Soft\"}"));
        CentralSystemStub.Received stop = cs.await("AV-1", "StopTransaction", WAIT);
        assertEquals("SoftReset", stop.payload().get("reason").asText());
        cs.await(r -> r.action().equals("StatusNotification") && r.payload().get("connectorId").asInt() == 1
                && r.payload().get("status").asText().equals("Unavailable"), WAIT, "scheduled change applied");
        cs.await("AV-1", "BootNotification", WAIT);
        assertEquals(2, cs.handshakes.size(), "the station reconnected after the reset");
    }

    @Test
    void reconnectsAndResendsQueuedTransactionMessagesInOrder() throws Exception {
        // 36 kW = 10 Wh per second; the car is full after 8 Wh, while the station is offline.
        start("RC-1", "--power-kw", "36", "--car-kwh", "0.008");
        booted("RC-1");
        cs.responder = r -> {
            if (r.action().equals("StartTransaction")) {
                cs.refuseConnections = true;
            }
            return null;
        };
        assertEquals("Accepted", status("RC-1", "RemoteStartTransaction", "{\"connectorId\":2,\"idTag\":\"TAG-R\"}"));
        CentralSystemStub.Received start = cs.await("RC-1", "StartTransaction", WAIT);
        Thread.sleep(100);
        cs.disconnect("RC-1");
        Thread.sleep(1200);
        cs.responder = r -> null;
        cs.refuseConnections = false;

        CentralSystemStub.Received reboot = cs.await("RC-1", "BootNotification", WAIT);
        CentralSystemStub.Received stop = cs.await("RC-1", "StopTransaction", WAIT);
        assertEquals(1001, stop.payload().get("transactionId").asInt());
        assertEquals("EVDisconnected", stop.payload().get("reason").asText());
        long meterStart = start.payload().get("meterStart").asLong();
        assertEquals(meterStart + 8, stop.payload().get("meterStop").asLong());

        List<CentralSystemStub.Received> after = cs.all("RC-1").stream()
                .filter(r -> r.atNanos() > reboot.atNanos()
                        && (r.action().equals("MeterValues") || r.action().equals("StopTransaction")))
                .toList();
        assertTrue(after.size() >= 3, "queued meter values were re-sent: " + after);
        Instant previous = Instant.MIN;
        long previousEnergy = meterStart;
        for (CentralSystemStub.Received r : after) {
            JsonNode stamp = r.action().equals("MeterValues") ? r.payload().get("meterValue").get(0).get("timestamp")
                    : r.payload().get("timestamp");
            Instant at = Instant.parse(stamp.asText());
            assertFalse(at.isBefore(previous), "in order: " + after);
            previous = at;
            long energy = r.action().equals("MeterValues") ? energy(r.payload().get("meterValue").get(0))
                    : r.payload().get("meterStop").asLong();
            assertTrue(energy >= previousEnergy);
            previousEnergy = energy;
        }
        assertEquals("StopTransaction", after.getLast().action());
        assertTrue(Duration.between(Instant.parse(after.getFirst().payload().get("meterValue").get(0).get("timestamp").asText()),
                Instant.now()).toMillis() > 500, "the first re-sent sample was taken while offline");
    }

    @Test
    void autoScenarioChargesAndStartsAgain() throws Exception {
        start("AUTO-1", "--scenario", "auto", "--id-tag", "AUTOTAG", "--session-seconds", "0.5",
                "--think-seconds", "0.2");
        cs.await("AUTO-1", "BootNotification", WAIT);
        assertEquals("AUTOTAG", cs.await("AUTO-1", "Authorize", WAIT).payload().get("idTag").asText());
        cs.await("AUTO-1", "StartTransaction", WAIT);
        cs.await("AUTO-1", "MeterValues", WAIT);
        assertEquals("Local", cs.await("AUTO-1", "StopTransaction", WAIT).payload().get("reason").asText());
        cs.await("AUTO-1", "Authorize", WAIT);
        cs.await("AUTO-1", "StartTransaction", WAIT);
    }

    @Test
    void invalidIdTagOnStartTransactionStopsWithDeAuthorized() throws Exception {
        cs.responder = r -> {
            if (r.action().equals("StartTransaction")) {
                ObjectNode answer = FrameCodec.object().put("transactionId", 77);
                answer.putObject("idTagInfo").put("status", "Invalid");
                return CentralSystemStub.Answer.result(answer);
            }
            return null;
        };
        start("INV-1");
        booted("INV-1");
        assertEquals("Accepted", status("INV-1", "RemoteStartTransaction", "{\"connectorId\":1,\"idTag\":\"BAD\"}"));
        CentralSystemStub.Received stop = cs.await("INV-1", "StopTransaction", WAIT);
        assertEquals(77, stop.payload().get("transactionId").asInt());
        assertEquals("DeAuthorized", stop.payload().get("reason").asText());
    }

    /** Waits for the boot and the last initial StatusNotification, so commands meet an accepted station. */
    private void booted(String stationId) throws InterruptedException {
        cs.await(stationId, "BootNotification", WAIT);
        cs.await(r -> r.stationId().equals(stationId) && r.action().equals("StatusNotification")
                && r.payload().get("connectorId").asInt() == 2, WAIT, stationId + " initial status");
    }

    private String status(String stationId, String action, String payload) throws Exception {
        return result(cs.call(stationId, action, json(payload))).get("status").asText();
    }

    private static String errorCode(OcppFrame frame) {
        assertNotNull(frame);
        return assertInstanceOf(OcppFrame.CallError.class, frame, () -> "expected a CALLERROR, got " + frame).errorCode();
    }
}
