package kg.evpower.simulator.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import java.util.TreeMap;
import kg.evpower.simulator.ocpp.FrameCodec;

/** The JSON summary a load run prints. Latencies are in milliseconds. */
public record LoadSummary(
        String url,
        String scenario,
        int stations,
        int stationsStarted,
        double rampPerSecond,
        double durationSeconds,
        double elapsedSeconds,
        Connections connections,
        Calls calls,
        Map<String, Latency> latencyMs,
        SteadyState steadyState,
        Map<String, Long> callErrors,
        Violations protocolViolations) {

    public record Connections(long attempted, long ok, long failed, Map<String, Long> failedByReason,
                              long droppedDuringRun) {
    }

    public record Calls(long sent, long answered, long timedOut, Map<String, Long> timedOutByAction,
                        double perSecond, long commandsReceived) {
    }

    public record Latency(long count, double p50, double p95, double p99, double max, double mean) {
        static Latency of(LatencyHistogram h) {
            return new Latency(h.count(), ms(h.percentileMicros(50)), ms(h.percentileMicros(95)),
                    ms(h.percentileMicros(99)), ms(h.maxMicros()), ms(Math.round(h.meanMicros())));
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /**
     * Latencies of the calls sent once every station's connection attempt had ended plus the settle time;
     * {@code fromSecond} is null (and the map empty) when the run ended before that.
     */
    public record SteadyState(Double fromSecond, double settleSeconds, Map<String, Latency> latencyMs) {
    }

    public record Violations(long total, Map<String, Long> byKind) {
    }

    static LoadSummary from(String url, String scenario, int stations, int started, double ramp, double duration,
                            double elapsedSeconds, long droppedDuringRun, double settleSeconds, LoadMetrics m) {
        Map<String, Latency> latency = latencies(m.latencyByAction);
        Map<String, Long> violations = LoadMetrics.snapshot(m.violationsByKind);
        long answered = m.callsAnswered.sum();
        double perSecond = elapsedSeconds <= 0 ? 0 : Math.round(answered / elapsedSeconds * 10) / 10.0;
        return new LoadSummary(url, scenario, stations, started, ramp, duration,
                Math.round(elapsedSeconds * 1000) / 1000.0,
                new Connections(m.connectAttempts.sum(), m.connected.sum(), m.connectFailed.sum(),
                        LoadMetrics.snapshot(m.failuresByReason), droppedDuringRun),
                new Calls(m.callsSent.sum(), answered, m.callsTimedOut.sum(), LoadMetrics.snapshot(m.timeoutsByAction),
                        perSecond, m.commandsReceived.sum()),
                latency,
                new SteadyState(m.steadyFromSeconds(), settleSeconds, latencies(m.steadyLatencyByAction)),
                LoadMetrics.snapshot(m.callErrorsByCode),
                new Violations(violations.values().stream().mapToLong(Long::longValue).sum(), violations));
    }

    private static Map<String, Latency> latencies(Map<String, LatencyHistogram> byAction) {
        Map<String, Latency> latency = new TreeMap<>();
        byAction.forEach((action, histogram) -> latency.put(action, Latency.of(histogram)));
        return latency;
    }

    public String toJson() {
        try {
            return FrameCodec.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the summary", e);
        }
    }
}
