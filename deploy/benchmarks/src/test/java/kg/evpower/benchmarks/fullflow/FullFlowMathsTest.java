package kg.evpower.benchmarks.fullflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kg.evpower.benchmarks.fullflow.FullFlowInputs.AppClient;
import kg.evpower.benchmarks.fullflow.FullFlowInputs.Connector;

/** The scheduler's timing, the percentiles and the summary of a full-flow run; no services needed. */
class FullFlowMathsTest {

    @Test
    void startsAreDueAtFixedIntervalsWhateverTheAnswers() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(50, 60_000_000_000L);
        assertEquals(3000, schedule.totalStarts());
        assertEquals(0, schedule.dueNanos(0));
        assertEquals(20_000_000, schedule.dueNanos(1));
        assertEquals(59_980_000_000L, schedule.dueNanos(2999), "the last start is due before the end");
        OpenLoopSchedule slow = new OpenLoopSchedule(3, 1_000_000_000L);
        assertEquals(3, slow.totalStarts());
        assertEquals(333_333_333, slow.dueNanos(1));
        assertEquals(2, new OpenLoopSchedule(0.7, 2_000_000_000L).totalStarts(), "due at 0 s and 1.43 s");
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(5, 0));
    }

    @Test
    void nearestRankPercentiles() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = (i + 1) * 1_000_000L; // 1..100 ms
        }
        assertEquals(50_000_000L, LatencyRecorder.percentile(hundred, 50));
        assertEquals(95_000_000L, LatencyRecorder.percentile(hundred, 95));
        assertEquals(99_000_000L, LatencyRecorder.percentile(hundred, 99));
        assertEquals(100_000_000L, LatencyRecorder.percentile(hundred, 100));
        assertEquals(7, LatencyRecorder.percentile(new long[] {7}, 99));
        assertEquals(0, LatencyRecorder.percentile(new long[0], 99));
        // 10 values: p99 is the largest one, p50 the 5th.
        long[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(10, LatencyRecorder.percentile(ten, 99));
        assertEquals(5, LatencyRecorder.percentile(ten, 50));
        assertThrows(IllegalArgumentException.class, () -> LatencyRecorder.percentile(ten, 0));
    }

    @Test
    void recorderSortsWhatArrivesInAnyOrderAndGrows() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 2000; i >= 1; i--) {
            recorder.record(i * 1_000_000L);
        }
        Map<String, Object> s = recorder.summary();
        assertEquals(2000, s.get("count"));
        assertEquals(1000.0, s.get("p50Ms"));
        assertEquals(1980.0, s.get("p99Ms"));
        assertEquals(2000.0, s.get("maxMs"));
        assertEquals(1000.5, s.get("meanMs"));
    }

    @Test
    void summaryCountsFailuresByStatusAndCodeAndRatesOverTheWindow() {
        FullFlowResults r = new FullFlowResults();
        for (int i = 0; i < 100; i++) {
            r.offered.increment();
        }
        r.noCapacity.add(4);
        r.startsSent.add(96);
        r.startsOk.add(90);
        r.startFailed(FullFlowResults.failureKey(200, "connector_occupied"));
        r.startFailed(FullFlowResults.failureKey(200, "connector_occupied"));
        r.startFailed(FullFlowResults.failureKey(429, "too_many_requests"));
        r.startFailed(FullFlowResults.failureKey(503, null));
        r.startFailed("timeout");
        r.startFailed(FullFlowLoad.failureKey(new java.util.concurrent.CompletionException(new java.net.ConnectException())));
        r.stopsSent.add(90);
        r.stopsOk.add(89);
        r.stopFailed(FullFlowResults.failureKey(200, "session_not_found"));
        r.reachedCharging.add(85);
        r.cancelledBeforeCharging.add(4);
        r.startLatency.record(12_000_000);
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, Object> s = r.summary(settings, 20_000_000_000L, 27_500_000_000L);
        @SuppressWarnings("unchecked")
        Map<String, Object> starts = (Map<String, Object>) s.get("starts");
        assertEquals(96L, starts.get("attempted"));
        assertEquals(6L, starts.get("failed"));
        assertEquals(Map.of("200:connector_occupied", 2L, "429:too_many_requests", 1L, "503:-", 1L, "timeout", 1L,
                "io:ConnectException", 1L), starts.get("failedBy"));
        assertEquals(5.0, starts.get("offeredPerSecond"));
        assertEquals(4.5, starts.get("okPerSecond"));
        assertEquals(27.5, s.get("elapsedSeconds"));
        @SuppressWarnings("unchecked")
        Map<String, Object> stops = (Map<String, Object>) s.get("stops");
        assertEquals(1L, stops.get("failed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sessions = (Map<String, Object>) s.get("sessions");
        assertEquals(85L, sessions.get("reachedCharging"));
    }

    @Test
    void errorCodesComeFromTheAppShapes() {
        assertEquals("connector_occupied", FullFlowLoad.errorOf(FullFlowLoad.parse(
                "{\"success\":false,\"error\":\"connector_occupied\"}")));
        assertEquals("session_not_found", FullFlowLoad.errorOf(FullFlowLoad.parse(
                "{\"detail\":{\"success\":false,\"error\":\"session_not_found\"}}")));
        assertEquals("RATE_LIMITED", FullFlowLoad.errorOf(FullFlowLoad.parse("{\"code\":\"RATE_LIMITED\"}")));
        assertEquals(null, FullFlowLoad.errorOf(FullFlowLoad.parse("<html>bad gateway</html>")));
    }

    @Test
    void inputsReadClientsAndConnectors(@TempDir Path dir) throws Exception {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"bench-7\"}".getBytes(StandardCharsets.UTF_8));
        Path tokens = dir.resolve("tokens.txt");
        Files.writeString(tokens, "# clients\nbench-1 a.b.c\n\nx." + payload + ".y\n");
        List<AppClient> clients = FullFlowInputs.clients(tokens);
        assertEquals(List.of("bench-1", "bench-7"), clients.stream().map(AppClient::id).toList());
        assertEquals("AppClient[bench-1]", clients.get(0).toString(), "a token is never printed");

        assertEquals(List.of(new Connector("SIM-1", 1), new Connector("SIM-1", 2), new Connector("SIM-2", 2)),
                FullFlowInputs.connectors("SIM-1,SIM-2:2", 2));
        Path stations = dir.resolve("stations.txt");
        Files.writeString(stations, "SIM-A\nSIM-B\n");
        assertEquals(4, FullFlowInputs.connectors("@" + stations, 2).size());
        assertEquals(List.of("SIM-A", "SIM-B"), FullFlowInputs.stationIds(FullFlowInputs.connectors("@" + stations, 2)));
    }
}
