package kg.evpower.gateway.client;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.platform.auth.ServiceTokens;

/**
 * security-service's internal credential check ({@code POST /internal/charge-points/{cpId}/authenticate}). Not retried:
 * each attempt counts towards the station's lock-out. A slow or failing security-service opens the breaker, so upgrades
 * fail fast (503) instead of piling up.
 */
@ApplicationScoped
public class SecurityClient {

    public record Authentication(String cpId, boolean known, boolean authenticated, String status, boolean lockedOut) {

        /** May this station open a socket? ACTIVE and OUT_OF_SERVICE may; REVOKED, UNKNOWN and locked-out may not. */
        public boolean admitted() {
            return known && authenticated && !lockedOut
                    && ("ACTIVE".equals(status) || "OUT_OF_SERVICE".equals(status));
        }
    }

    /** security-service answered something other than its contract: treated like an outage, never as a yes. */
    public static final class SecurityServiceException extends RuntimeException {
        public SecurityServiceException(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient http;
    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final ServiceTokens tokens;

    SecurityClient(Vertx vertx, GatewayConfig config, ObjectMapper mapper, ServiceTokens tokens,
            @ConfigProperty(name = "evpower.gateway.auth.max-connections", defaultValue = "64") int maxConnections) {
        // Vert.x's default is 5 connections per host: a ramp of stations would queue behind them until the timeout
        // and open the breaker (issue 9's failed handshakes). Keep-alive connections, as many as the checks need.
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(maxConnections)
                .setKeepAlive(true));
        this.config = config;
        this.mapper = mapper;
        this.tokens = tokens;
    }

    // A reconnect storm (every station of a restarted replica at once) queues checks for a few seconds: the timeout
    // leaves room for that, and the breaker opens on a sustained failure rate over many calls (an outage), not on the
    // first slow answers of a cold security-service (issue 9: 10 timeouts opened it and refused thousands of stations).
    @Timeout(value = 6, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 50, failureRatio = 0.8, delay = 3, delayUnit = ChronoUnit.SECONDS)
    @CircuitBreakerName("security-authenticate")
    public Uni<Authentication> authenticate(String cpId, String password, String sourceAddress) {
        String base = config.auth().securityUrl().toString().replaceAll("/+$", "");
        String url = base + "/internal/charge-points/" + urlEncode(cpId) + "/authenticate";
        String body = new JsonObject().put("password", password).put("sourceAddress", sourceAddress).encode();
        return tokens.authorizationHeader().chain(authorization -> http.request(new RequestOptions()
                        .setMethod(HttpMethod.POST).setAbsoluteURI(url).setTimeout(config.auth().timeout().toMillis())
                        .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json")
                        .putHeader("Authorization", authorization)))
                .chain(request -> request.send(Buffer.buffer(body)))
                .chain(response -> response.body().map(buffer -> {
                    if (response.statusCode() == 401) {
                        // Our token was refused (e.g. security-service rotated its keys): fetch a new one next time.
                        tokens.invalidate();
                    }
                    if (response.statusCode() != 200) {
                        throw new SecurityServiceException("security-service answered " + response.statusCode());
                    }
                    return parse(cpId, buffer);
                }));
    }

    /**
     * A charge point's status ({@code GET /internal/charge-points/{cpId}}) for a station authenticated by its TLS
     * client certificate (security profile 3): ACTIVE and OUT_OF_SERVICE are admitted; 404 means UNKNOWN.
     */
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @CircuitBreakerName("security-charge-point")
    public Uni<Authentication> certificateHolder(String cpId) {
        String base = config.auth().securityUrl().toString().replaceAll("/+$", "");
        String url = base + "/internal/charge-points/" + urlEncode(cpId);
        return tokens.authorizationHeader().chain(authorization -> http.request(new RequestOptions()
                        .setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(config.auth().timeout().toMillis())
                        .putHeader("Accept", "application/json").putHeader("Authorization", authorization)))
                .chain(request -> request.send())
                .chain(response -> response.body().map(buffer -> {
                    if (response.statusCode() == 401) {
                        tokens.invalidate();
                    }
                    if (response.statusCode() == 404) {
                        return new Authentication(cpId, false, false, "UNKNOWN", false);
                    }
                    if (response.statusCode() != 200) {
                        throw new SecurityServiceException("security-service answered " + response.statusCode());
                    }
                    try {
                        JsonNode node = mapper.readTree(buffer.getBytes());
                        return new Authentication(cpId, true, true, node.path("status").asText("UNKNOWN"), false);
                    } catch (Exception e) {
                        throw new SecurityServiceException("security-service answered an unreadable body");
                    }
                }));
    }

    private Authentication parse(String cpId, Buffer buffer) {
        try {
            JsonNode node = mapper.readTree(buffer.getBytes());
            return new Authentication(cpId, node.path("known").asBoolean(false),
                    node.path("authenticated").asBoolean(false), node.path("status").asText("UNKNOWN"),
                    node.path("lockedOut").asBoolean(false));
        } catch (Exception e) {
            throw new SecurityServiceException("security-service answered an unreadable body");
        }
    }

    private static String urlEncode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
