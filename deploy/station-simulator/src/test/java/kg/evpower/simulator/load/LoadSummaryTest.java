package kg.evpower.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import kg.evpower.simulator.ocpp.FrameCodec;
import org.junit.jupiter.api.Test;

class LoadSummaryTest {
    @Test
    void summaryFiguresComeFromTheCounters() throws Exception {
        LoadMetrics m = new LoadMetrics();
        for (int i = 0; i < 3; i++) {
            m.connectAttempt();
        }
        m.connected();
        m.connected();
        m.connectFailed("handshake HTTP 401");
        for (int i = 1; i <= 100; i++) {
            m.callSent("Heartbeat");
            m.callAnswered("Heartbeat", i * 1_000_000L); // 1..100 ms
        }
        m.callSent("StartTransaction");
        m.callError("StartTransaction", "InternalError", 5_000_000L);
        m.callSent("StopTransaction");
        m.callTimedOut("StopTransaction");
        m.protocolViolation("unknownMessageId");
        m.protocolViolation("unknownMessageId");
        m.protocolViolation("malformedFrame");

        LoadSummary summary = LoadSummary.from("ws://127.0.0.1:1/ocpp", "charging", 3, 3, 10, 10, 4.0, 1, 0, m);
        JsonNode json = FrameCodec.MAPPER.readTree(summary.toJson());

        assertEquals(3, json.at("/connections/attempted").asLong());
        assertEquals(2, json.at("/connections/ok").asLong());
        assertEquals(1, json.at("/connections/failed").asLong());
        assertEquals(1, json.at("/connections/failedByReason/handshake HTTP 401").asLong());
        assertEquals(1, json.at("/connections/droppedDuringRun").asLong());
        assertEquals(102, json.at("/calls/sent").asLong());
        assertEquals(101, json.at("/calls/answered").asLong());
        assertEquals(1, json.at("/calls/timedOut").asLong());
        assertEquals(25.3, json.at("/calls/perSecond").asDouble(), 1e-9); // 101 answers / 4 s, one decimal
        assertEquals(100, json.at("/latencyMs/Heartbeat/count").asLong());
        assertEquals(50.0, json.at("/latencyMs/Heartbeat/p50").asDouble(), 0.1);
        assertEquals(95.0, json.at("/latencyMs/Heartbeat/p95").asDouble(), 0.2);
        assertEquals(99.0, json.at("/latencyMs/Heartbeat/p99").asDouble(), 0.2);
        assertEquals(100.0, json.at("/latencyMs/Heartbeat/max").asDouble(), 1e-9);
        assertEquals(5.0, json.at("/latencyMs/StartTransaction/max").asDouble(), 1e-9);
        assertEquals(1, json.at("/callErrors/InternalError").asLong());
        assertEquals(3, json.at("/protocolViolations/total").asLong());
        assertEquals(2, json.at("/protocolViolations/byKind/unknownMessageId").asLong());
        // Metrics made without expected stations have no steady state.
        assertTrue(json.at("/steadyState/fromSecond").isNull(), json.toString());
        assertEquals(0, json.at("/steadyState/latencyMs").size());
    }

    @Test
    void steadyStateCountsOnlyCallsSentAfterTheRampAndTheSettleTime() throws Exception {
        LoadMetrics m = new LoadMetrics(2, Duration.ZERO);
        m.connectAttempt();
        m.connected();
        m.callAnswered("Heartbeat", 1_000_000L); // one station still connecting: ramp
        m.connectAttempt();
        m.connectFailed("handshake HTTP 503"); // the last attempt ended: steady from now on
        Thread.sleep(20);
        m.callAnswered("Heartbeat", 2_000_000L); // sent 2 ms ago, after the ramp
        m.callError("MeterValues", "InternalError", 3_000_000L);
        m.callAnswered("MeterValues", 10_000_000_000L); // sent 10 s ago, in the ramp

        JsonNode json = FrameCodec.MAPPER.readTree(
                LoadSummary.from("ws://127.0.0.1:1/ocpp", "charging", 2, 2, 10, 10, 4.0, 0, 0, m).toJson());

        assertEquals(2, json.at("/latencyMs/Heartbeat/count").asLong());
        assertEquals(2, json.at("/latencyMs/MeterValues/count").asLong());
        assertEquals(10_000.0, json.at("/latencyMs/MeterValues/max").asDouble(), 20);
        assertTrue(json.at("/steadyState/fromSecond").asDouble() >= 0, json.toString());
        assertEquals(1, json.at("/steadyState/latencyMs/Heartbeat/count").asLong());
        assertEquals(2.0, json.at("/steadyState/latencyMs/Heartbeat/max").asDouble(), 1e-9);
        assertEquals(1, json.at("/steadyState/latencyMs/MeterValues/count").asLong());
        assertEquals(3.0, json.at("/steadyState/latencyMs/MeterValues/max").asDouble(), 1e-9);
    }

    @Test
    void noCallCountsInTheSteadyStateBeforeTheSettleTimeHasPassed() throws Exception {
        LoadMetrics m = new LoadMetrics(1, Duration.ofHours(1));
        m.connectAttempt();
        m.connected();
        m.callAnswered("Heartbeat", 1_000L);
        JsonNode json = FrameCodec.MAPPER.readTree(
                LoadSummary.from("ws://127.0.0.1:1/ocpp", "idle", 1, 1, 10, 10, 1.0, 0, 3600, m).toJson());
        assertEquals(1, json.at("/latencyMs/Heartbeat/count").asLong());
        assertEquals(3600.0, json.at("/steadyState/settleSeconds").asDouble(), 1e-9);
        assertEquals(3600.0, json.at("/steadyState/fromSecond").asDouble(), 1.0);
        assertEquals(0, json.at("/steadyState/latencyMs").size(), json.toString());
    }

    @Test
    void badSteadyStateSettingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoadMetrics(0, Duration.ZERO));
        assertEquals("expected stations must be positive and the settle time not negative", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LoadMetrics(1, Duration.ofSeconds(-1)));
    }
}
