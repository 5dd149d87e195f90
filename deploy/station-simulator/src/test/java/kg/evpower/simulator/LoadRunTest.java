package kg.evpower.simulator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kg.evpower.simulator.load.LoadRun;
import kg.evpower.simulator.load.LoadSummary;
import kg.evpower.simulator.ocpp.FrameCodec;
import kg.evpower.simulator.runtime.MessageLog;
import org.junit.jupiter.api.Test;

class LoadRunTest {
    private static MessageLog quietLog() {
        return new MessageLog(System.err, false, true);
    }

    @Test
    void chargingScenarioSummaryCountsCallsErrorsAndViolations() throws Exception {
        try (CentralSystemStub cs = new CentralSystemStub()) {
            Set<String> greeted = ConcurrentHashMap.newKeySet();
            cs.responder = r -> {
                if (r.action().equals("Heartbeat")) {
                    return CentralSystemStub.Answer.error("InternalError");
                }
                if (r.action().equals("StatusNotification") && greeted.add(r.stationId())) {
                    try {
                        // An answer nobody asked for, and a frame that is not OCPP-J.
                        cs.sendRaw(r.stationId(), "[3,\"no-such-call\",{}]");
                        cs.sendRaw(r.stationId(), "{\"hello\":1}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return null;
            };
            SimulatorOptions options = SimulatorOptions.parse("--load", "--url", cs.url(), "--stations", "4",
                    "--id-prefix", "LOAD-", "--ramp", "20", "--duration", "2.5", "--scenario", "charging",
                    "--meter-interval", "0.2", "--session-seconds", "0.5", "--think-seconds", "0.1",
                    "--heartbeat-interval", "0.5", "--settle-seconds", "0.5", "--threads", "2");
            LoadSummary summary = new LoadRun(options, quietLog()).run();
            JsonNode json = FrameCodec.MAPPER.readTree(summary.toJson());

            assertEquals(4, json.at("/connections/ok").asLong(), summary.toJson());
            assertEquals(0, json.at("/connections/failed").asLong());
            assertEquals(0, json.at("/connections/droppedDuringRun").asLong());
            for (String action : new String[] {"BootNotification", "StatusNotification", "Authorize", "StartTransaction",
                    "MeterValues", "StopTransaction", "Heartbeat"}) {
                assertTrue(json.at("/latencyMs/" + action + "/count").asLong() > 0, action + " in " + summary.toJson());
                assertTrue(json.at("/latencyMs/" + action + "/p99").asDouble()
                        <= json.at("/latencyMs/" + action + "/max").asDouble());
            }
            long heartbeats = json.at("/latencyMs/Heartbeat/count").asLong();
            assertEquals(heartbeats, json.at("/callErrors/InternalError").asLong());
            // Four stations at 20/s are connected within about 0.2 s; the steady state starts 0.5 s later.
            double steadyFrom = json.at("/steadyState/fromSecond").asDouble(-1);
            assertTrue(steadyFrom >= 0.5 && steadyFrom < 2.0, summary.toJson());
            assertEquals(0.5, json.at("/steadyState/settleSeconds").asDouble(), 1e-9);
            long steadyMeterValues = json.at("/steadyState/latencyMs/MeterValues/count").asLong();
            assertTrue(steadyMeterValues > 0 && steadyMeterValues < json.at("/latencyMs/MeterValues/count").asLong(),
                    summary.toJson());
            assertTrue(json.at("/steadyState/latencyMs/BootNotification").isMissingNode(), "boots are in the ramp");
            assertEquals(4, json.at("/protocolViolations/byKind/unknownMessageId").asLong());
            assertEquals(4, json.at("/protocolViolations/byKind/malformedFrame").asLong());
            assertEquals(8, json.at("/protocolViolations/total").asLong());
            assertTrue(json.at("/calls/perSecond").asDouble() > 0);
            assertEquals(json.at("/calls/answered").asDouble() / json.at("/elapsedSeconds").asDouble(),
                    json.at("/calls/perSecond").asDouble(), 0.1);
        }
    }

    @Test
    void stationsAreSplitRoundRobinOverSeveralUrls() throws Exception {
        try (CentralSystemStub first = new CentralSystemStub(); CentralSystemStub second = new CentralSystemStub()) {
            SimulatorOptions options = SimulatorOptions.parse("--load", "--url", first.url() + "," + second.url(),
                    "--ids", "RR-1,RR-2,RR-3,RR-4,RR-5", "--ramp", "100", "--duration", "1.5", "--threads", "2");
            JsonNode json = FrameCodec.MAPPER.readTree(new LoadRun(options, quietLog()).run().toJson());
            assertEquals(5, json.at("/connections/ok").asLong(), json.toString());
            assertEquals(first.url() + "," + second.url(), json.at("/url").asText());
            assertEquals(List.of("/ocpp/RR-1", "/ocpp/RR-3", "/ocpp/RR-5"), paths(first));
            assertEquals(List.of("/ocpp/RR-2", "/ocpp/RR-4"), paths(second));
        }
    }

    private static List<String> paths(CentralSystemStub cs) {
        synchronized (cs.handshakes) {
            return cs.handshakes.stream().map(CentralSystemStub.Handshake::path).sorted().toList();
        }
    }

    @Test
    void refusedConnectionsAreCountedAsFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SimulatorOptions options = SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1:" + closedPort + "/ocpp",
                "--stations", "3", "--ramp", "100", "--duration", "1");
        JsonNode json = FrameCodec.MAPPER.readTree(new LoadRun(options, quietLog()).run().toJson());
        assertEquals(3, json.at("/connections/attempted").asLong());
        assertEquals(0, json.at("/connections/ok").asLong());
        assertEquals(3, json.at("/connections/failed").asLong());
    }

    @Test
    void loadModeRefusesAnythingButLoopback() {
        for (String url : new String[] {"ws://10.1.2.3:8081/ocpp", "ws://example.com/ocpp", "wss://192.168.0.10/ocpp",
                "ws://[2001:db8::1]/ocpp", "ws://127.0.0.1.example.com/ocpp"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SimulatorOptions.parse("--load", "--url", url), url);
            assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        }
        for (String url : new String[] {"ws://127.0.0.1:8081/ocpp", "ws://localhost:8081/ocpp", "ws://127.0.0.2:1/x",
                "ws://[::1]:8081/ocpp"}) {
            assertDoesNotThrow(() -> SimulatorOptions.parse("--load", "--url", url), url);
        }
        // The plain simulator may be pointed at a deployed central system.
        assertDoesNotThrow(() -> SimulatorOptions.parse("--url", "wss://cs.example.com/ocpp"));
    }

    @Test
    void loadModeIsBoundedInCountAndTime() {
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/ocpp", "--stations", "50001"));
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/ocpp", "--duration", "0"));
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/ocpp", "--duration", "7201"));
        assertEquals(60, SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/ocpp").duration().toSeconds());
        assertEquals(Scenario.IDLE, SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/ocpp").scenario());
    }
}
