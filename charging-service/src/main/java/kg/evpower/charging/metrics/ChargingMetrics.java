package kg.evpower.charging.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The charging service's own meters, registered at start-up with every known tag value so they are on
 * {@code /q/metrics} (at 0) before the first event:
 * <ul>
 * <li>{@code evpower_charging_sessions_total{outcome=started|stopped|failed}}: counted when the session's
 * {@code charging.session.started|stopped|failed} event is written (app and RFID sessions alike);</li>
 * <li>{@code evpower_job_runs_total{job="hanging_sessions", outcome=success|failure}}: runs of the hanging-session
 * job.</li>
 * </ul>
 */
@Startup
@ApplicationScoped
public class ChargingMetrics {

    public static final List<String> SESSION_OUTCOMES = List.of("started", "stopped", "failed");
    public static final String JOB_HANGING_SESSIONS = "hanging_sessions";

    private final Map<String, Counter> sessions;
    private final Map<String, Counter> jobRuns;

    ChargingMetrics(MeterRegistry registry) {
        sessions = SESSION_OUTCOMES.stream().collect(Collectors.toMap(Function.identity(),
                outcome -> Counter.builder("evpower.charging.sessions").description("Charging sessions by outcome")
                        .tag("outcome", outcome).register(registry)));
        jobRuns = List.of("success", "failure").stream().collect(Collectors.toMap(Function.identity(),
                outcome -> Counter.builder("evpower.job.runs").description("Scheduled job runs by outcome")
                        .tag("job", JOB_HANGING_SESSIONS).tag("outcome", outcome).register(registry)));
    }

    /** {@code outcome} is started, stopped or failed. */
    public void session(String outcome) {
        Counter counter = sessions.get(outcome);
        if (counter == null) {
            throw new IllegalArgumentException("unknown session outcome " + outcome);
        }
        counter.increment();
    }

    public void jobRun(boolean success) {
        jobRuns.get(success ? "success" : "failure").increment();
    }
}
