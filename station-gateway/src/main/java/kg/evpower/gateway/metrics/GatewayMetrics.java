package kg.evpower.gateway.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import kg.evpower.gateway.ocpp.message.MessageSchemas;
import kg.evpower.gateway.ocpp.session.SessionRegistry;

/**
 * The gateway's meters: station messages by action and outcome ({@code evpower_ocpp_messages_total}), stations
 * connected to this replica ({@code evpower_gateway_connected_stations}) and command round trips
 * ({@code evpower_gateway_command_duration_seconds}). Tag values are bounded: an action the 1.6 schemas do not know is
 * counted as {@code unknown}, outcomes are {@code result} or an OCPP CallError code, command outcomes the problem codes.
 * Meters of the known station actions exist from start-up, so alerts and dashboards see them before traffic.
 */
@ApplicationScoped
@Startup
public class GatewayMetrics {

    static final String MESSAGES = "evpower.ocpp.messages";
    static final String COMMANDS = "evpower.gateway.command.duration";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry, SessionRegistry sessions) {
        this.registry = registry;
        Gauge.builder("evpower.gateway.connected.stations", sessions,
                        s -> s.all().stream().filter(session -> !session.isClosed()).count())
                .description("Stations with an open OCPP socket on this replica").register(registry);
        MessageSchemas.all().values().stream()
                .filter(m -> m.direction() != MessageSchemas.Direction.CS_TO_STATION)
                .forEach(m -> messageHandled(m.action(), "result", 0));
        MessageSchemas.all().values().stream()
                .filter(m -> m.direction() != MessageSchemas.Direction.STATION_TO_CS)
                .forEach(m -> timer(m.action(), "ANSWERED"));
    }

    /** One station message answered: {@code outcome} is {@code result} or the CallError code sent. */
    public void messageHandled(String action, String outcome) {
        messageHandled(action, outcome, 1);
    }

    private void messageHandled(String action, String outcome, int amount) {
        String known = action != null && MessageSchemas.find(action).isPresent() ? action : "unknown";
        counters.computeIfAbsent(known + '\u0000' + outcome, k -> Counter.builder(MESSAGES)
                        .description("OCPP messages from stations, by action and outcome")
                        .tag("action", known).tag("direction", "in").tag("outcome", outcome).register(registry))
                .increment(amount);
    }

    /** One central-system command finished (answered, CALLERROR, timeout, offline, ...). */
    public void commandCompleted(String action, String outcome, Duration took) {
        timer(action, outcome).record(took);
    }

    /** A few fixed buckets (not a full percentile histogram): enough for p99 alerts, few series per action. */
    private Timer timer(String action, String outcome) {
        String known = action != null && MessageSchemas.find(action).isPresent() ? action : "unknown";
        return timers.computeIfAbsent(known + '\u0000' + outcome, k -> Timer.builder(COMMANDS)
                .description("Central-system commands from request to the station's answer")
                .tag("action", known).tag("outcome", outcome)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(registry));
    }
}
