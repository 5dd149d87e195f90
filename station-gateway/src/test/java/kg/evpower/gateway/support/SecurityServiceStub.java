package kg.evpower.gateway.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * security-service's internal credential API, answered by a real HTTP server on a free port (an HTTP peer, not a mock of
 * anything of ours). Tests register charge points with a password and a status.
 */
public class SecurityServiceStub implements QuarkusTestResourceLifecycleManager {

    public record ChargePoint(String password, String status, boolean lockedOut) {
    }

    private static final Map<String, ChargePoint> CHARGE_POINTS = new ConcurrentHashMap<>();
    /** The service token this security-service issues to the gateway's client credentials. */
    static final String TOKEN = "stub-service-token";
    static final String CLIENT_SECRET = "test-gateway-service-secret";
    public static final AtomicInteger CALLS = new AtomicInteger();
    /** The {@code sourceAddress} of the last credential check of each charge point. */
    public static final Map<String, String> SOURCES = new ConcurrentHashMap<>();
    /** The base URL of the running stub (for processes the test starts itself). */
    public static volatile String url;
    private static volatile boolean failing;
    private Vertx vertx;
    private HttpServer server;

    public static void register(String cpId, String password, String status) {
        CHARGE_POINTS.put(cpId, new ChargePoint(password, status, false));
    }

    public static void status(String cpId, String status) {
        CHARGE_POINTS.computeIfPresent(cpId, (id, cp) -> new ChargePoint(cp.password(), status, cp.lockedOut()));
    }

    /** The client secret the stub accepts (for gateway processes a test starts itself). */
    public static String clientSecret() {
        return CLIENT_SECRET;
    }

    public static void failing(boolean value) {
        failing = value;
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            if (path.equals("/auth/service-token") && "POST".equals(request.method().name())) {
                request.body().onSuccess(body -> {
                    JsonObject in = body.toJsonObject();
                    boolean ok = "station-gateway".equals(in.getString("client_id"))
                            && CLIENT_SECRET.equals(in.getString("client_secret"));
                    request.response().setStatusCode(ok ? 200 : 401).putHeader("Content-Type", "application/json")
                            .end(ok ? new JsonObject().put("access_token", TOKEN).put("token_type", "Bearer")
                                    .put("expires_in", 900).encode() : "{}");
                });
                return;
            }
            if (path.startsWith("/internal/charge-points/") && !path.substring(24).contains("/")
                    && "GET".equals(request.method().name())) {
                // GET /internal/charge-points/{cpId} (docs/contracts.md): the status of a certificate holder.
                CALLS.incrementAndGet();
                if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                String cpId = java.net.URLDecoder.decode(path.substring(24), java.nio.charset.StandardCharsets.UTF_8);
                ChargePoint cp = CHARGE_POINTS.get(cpId);
                if (cp == null) {
                    request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                            .end(new JsonObject().put("code", "CHARGE_POINT_NOT_FOUND").put("status", 404).encode());
                    return;
                }
                request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("cpId", cpId).put("status", cp.status()).put("statusReason", (String) null)
                        .put("location", "stub").put("updatedAt", "2025-01-01T00:00:00Z").encode());
                return;
            }
            if (!path.startsWith("/internal/charge-points/") || !path.endsWith("/authenticate")
                    || !"POST".equals(request.method().name())) {
                request.response().setStatusCode(404).end();
                return;
            }
            CALLS.incrementAndGet();
            if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                // Like the real security-service: /internal/** needs the service token.
                request.response().setStatusCode(401).end();
                return;
            }
            if (failing) {
                request.response().setStatusCode(500).end();
                return;
            }
            String cpId = java.net.URLDecoder.decode(path.substring("/internal/charge-points/".length(),
                    path.length() - "/authenticate".length()), java.nio.charset.StandardCharsets.UTF_8);
            request.body().onSuccess(body -> {
                JsonObject in = body.toJsonObject();
                if (in.getString("sourceAddress") != null) {
                    SOURCES.put(cpId, in.getString("sourceAddress"));
                }
                ChargePoint cp = CHARGE_POINTS.get(cpId);
                JsonObject out = new JsonObject().put("cpId", cpId);
                if (cp == null) {
                    out.put("known", false).put("authenticated", false).put("status", "UNKNOWN").put("lockedOut", false);
                } else {
                    out.put("known", true).put("authenticated", cp.password().equals(in.getString("password")))
                            .put("status", cp.status()).put("lockedOut", cp.lockedOut());
                }
                request.response().putHeader("Content-Type", "application/json").end(out.encode());
            });
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("evpower.gateway.auth.security-url", url,
                "evpower.service-auth.token-url", url + "/auth/service-token",
                "evpower.service-auth.client-secret", CLIENT_SECRET);
    }

    /** Every /internal/** call of a test carries a valid service token (platform TestServiceTokens). */
    public static void useServiceToken() {
        io.restassured.RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader("Authorization", kg.evpower.platform.testing.TestServiceTokens.bearer()).build();
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
