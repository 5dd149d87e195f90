package kg.evpower.charging.client;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;

/**
 * Calls to station-gateway with fault tolerance. Expected answers (404, a station offline or timing out, a CALLERROR) come
 * back as values before the breaker sees them; only gateway failures count. Commands are not retried (a RemoteStart sent
 * twice could start twice); reads and the id-tag PUT are.
 */
@ApplicationScoped
public class GatewayClient {

    static final String SERVICE = "station-gateway";

    private final GatewayApi api;
    private final ObjectMapper mapper;

    GatewayClient(@RestClient GatewayApi api, ObjectMapper mapper) {
        this.api = api;
        this.mapper = mapper;
    }

    public record ConnectorState(int connectorId, String status, String errorCode) {
    }

    public record StationState(String id, boolean connected, Instant lastMessageAt, List<ConnectorState> connectors) {

        public Optional<ConnectorState> connector(int connectorId) {
            return connectors.stream().filter(c -> c.connectorId() == connectorId).findFirst();
        }

        public long minutesSinceLastMessage(Instant now) {
            return lastMessageAt == null ? -1 : ChronoUnit.MINUTES.between(lastMessageAt, now);
        }
    }

    /** The outcome of a command: {@code status} is the gateway's HTTP status, {@code code} its problem code. */
    public record CommandOutcome(int status, String code, JsonNode payload) {

        public boolean answered() {
            return status == 200;
        }

        /** The station's {@code status} field (Accepted / Rejected) when it answered. */
        public String stationStatus() {
            return payload != null && payload.hasNonNull("status") ? payload.get("status").asText() : null;
        }

        public boolean accepted() {
            return answered() && "Accepted".equals(stationStatus());
        }
    }

    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 200, abortOn = {IllegalArgumentException.class})
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("gateway-station")
    public Uni<Optional<StationState>> station(String stationId) {
        return api.station(stationId).map(response -> Answer.of(response, mapper, SERVICE)).map(answer -> {
            if (answer.status() == 404) {
                return Optional.<StationState>empty();
            }
            if (!answer.ok()) {
                throw new UpstreamException(SERVICE, "station read answered HTTP " + answer.status());
            }
            return Optional.of(parseStation(answer.body()));
        });
    }

    static StationState parseStation(JsonNode body) {
        List<ConnectorState> connectors = new ArrayList<>();
        for (JsonNode c : body.path("connectors")) {
            connectors.add(new ConnectorState(c.path("connectorId").asInt(), c.path("status").asText(null),
                    c.hasNonNull("errorCode") ? c.get("errorCode").asText() : null));
        }
        Instant last = body.hasNonNull("lastMessageAt") ? Instant.parse(body.get("lastMessageAt").asText()) : null;
        return new StationState(body.path("id").asText(), body.path("connected").asBoolean(false), last, connectors);
    }

    @Timeout(35000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("gateway-remote-start")
    public Uni<CommandOutcome> remoteStart(String stationId, int connectorId, String idTag) {
        return command(stationId, "RemoteStartTransaction", Map.of("connectorId", connectorId, "idTag", idTag));
    }

    @Timeout(35000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("gateway-remote-stop")
    public Uni<CommandOutcome> remoteStop(String stationId, int transactionId) {
        return command(stationId, "RemoteStopTransaction", Map.of("transactionId", transactionId));
    }

    private Uni<CommandOutcome> command(String stationId, String action, Map<String, Object> payload) {
        return api.command(stationId, action, payload).map(response -> Answer.of(response, mapper, SERVICE))
                .map(answer -> {
                    if (answer.ok()) {
                        return new CommandOutcome(200, null, answer.body().path("payload"));
                    }
                    return switch (answer.status()) {
                        case 404, 409, 502, 503, 504 -> new CommandOutcome(answer.status(), answer.code(), null);
                        default -> throw new UpstreamException(SERVICE, action + " answered HTTP " + answer.status());
                    };
                });
    }

    /** Registers (or re-registers) an id tag for a client; PUT is idempotent, so it is retried. */
    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("gateway-put-id-tag")
    public Uni<Void> putIdTag(String idTag, String status, String clientId) {
        return api.putIdTag(idTag, Map.of("status", status, "clientId", clientId))
                .map(response -> Answer.of(response, mapper, SERVICE)).map(answer -> {
                    if (!answer.ok()) {
                        throw new UpstreamException(SERVICE, "id tag PUT answered HTTP " + answer.status());
                    }
                    return null;
                });
    }
}
