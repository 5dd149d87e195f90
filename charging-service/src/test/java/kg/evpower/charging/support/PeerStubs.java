package kg.evpower.charging.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import kg.evpower.platform.testing.TestServiceTokens;

/**
 * HTTP peers answering station-gateway's and payment-service's internal APIs as docs/contracts.md describes, on free
 * ports, wired in through the rest client URLs. Tests drive and inspect them through the static state below.
 */
public class PeerStubs implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    // ---- station-gateway state
    public record Command(String stationId, String action, JsonObject payload) {
    }

    public static final Map<String, JsonObject> STATIONS = new ConcurrentHashMap<>();
    public static final List<Command> COMMANDS = new CopyOnWriteArrayList<>();
    public static final Map<String, JsonObject> ID_TAGS = new ConcurrentHashMap<>();
    /** Per station: how to answer a command (status, body); default: 200 Accepted. */
    public static final Map<String, BiFunction<String, JsonObject, Reply>> COMMAND_REPLIES = new ConcurrentHashMap<>();

    public record Reply(int status, JsonObject body) {
        public static Reply accepted(String action) {
            return new Reply(200, new JsonObject().put("action", action).put("messageId", UUID.randomUUID().toString())
                    .put("payload", new JsonObject().put("status", "Accepted")));
        }

        public static Reply rejected(String action) {
            return new Reply(200, new JsonObject().put("action", action).put("messageId", UUID.randomUUID().toString())
                    .put("payload", new JsonObject().put("status", "Rejected")));
        }

        public static Reply problem(int status, String code) {
            return new Reply(status, new JsonObject().put("status", status).put("code", code).put("title", code));
        }
    }

    // ---- payment-service state (tyiyn)
    public static final Map<String, Long> BALANCES = new ConcurrentHashMap<>();
    public static final Map<String, JsonObject> HOLDS = new ConcurrentHashMap<>();
    public static final Map<String, JsonObject> IDEMPOTENT = new ConcurrentHashMap<>();
    public static final List<JsonObject> CAPTURES = new CopyOnWriteArrayList<>();
    public static volatile boolean paymentDown;
    /** The gateway answers PUT /internal/id-tags/** with 500 while set. */
    public static volatile boolean idTagsDown;

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer gateway = listen(this::gateway);
        HttpServer payment = listen(this::payment);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.rest-client.station-gateway.url", "http://127.0.0.1:" + gateway.actualPort());
        config.put("quarkus.rest-client.payment-service.url", "http://127.0.0.1:" + payment.actualPort());
        // security-service's token endpoint, answered by the gateway peer with a token signed by the platform test key
        config.put("evpower.service-auth.client-secret", "test-only-" + RUN);
        config.put("evpower.service-auth.token-url", "http://127.0.0.1:" + gateway.actualPort() + "/auth/service-token");
        config.put("evpower.charging.streams.gateway", "evpower.gateway.v1.test-" + RUN);
        config.put("evpower.charging.streams.charging", "evpower.charging.v1.test-" + RUN);
        config.put("evpower.charging.streams.payment", "evpower.payment.v1.test-" + RUN);
        config.put("evpower.charging.live.channel", "evpower.charging.live.test-" + RUN);
        return config;
    }

    private HttpServer listen(io.vertx.core.Handler<HttpServerRequest> handler) {
        try {
            return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    // ---------------------------------------------------------------- station-gateway

    public static void station(String id, boolean connected, Map<Integer, String> connectors) {
        JsonArray list = new JsonArray();
        connectors.forEach((n, status) -> list.add(new JsonObject().put("connectorId", n).put("status", status)
                .put("errorCode", "NoError").put("updatedAt", Instant.now().toString())));
        STATIONS.put(id, new JsonObject().put("id", id).put("connected", connected).put("instanceId", "gw-1")
                .put("lastMessageAt", Instant.now().minusSeconds(connected ? 5 : 1800).toString())
                .put("heartbeatIntervalSeconds", 60).put("connectors", list));
    }

    public static List<Command> commands(String stationId, String action) {
        return COMMANDS.stream().filter(c -> c.stationId().equals(stationId) && c.action().equals(action)).toList();
    }

    /** What a platform-protected /internal/** endpoint checks first: a service Bearer token. */
    static boolean unauthenticated(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ey")) {
            reply(req, Reply.problem(401, "SERVICE_TOKEN_REQUIRED"));
            return true;
        }
        return false;
    }

    private void gateway(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            String path = req.path();
            if (path.equals("/auth/service-token")) {
                reply(req, new Reply(200, new JsonObject().put("access_token", TestServiceTokens.token("charging-service",
                        List.of("service"), "evpower-security", "evpower-internal", 900))
                        .put("token_type", "Bearer").put("expires_in", 900)));
                return;
            }
            if (unauthenticated(req)) {
                return;
            }
            String[] parts = path.split("/");
            if (req.method().name().equals("GET") && path.startsWith("/internal/stations/")) {
                JsonObject st = STATIONS.get(parts[3]);
                if (st == null) {
                    reply(req, Reply.problem(404, "STATION_NOT_FOUND"));
                } else {
                    reply(req, new Reply(200, st));
                }
            } else if (req.method().name().equals("POST") && parts.length == 6 && "commands".equals(parts[4])) {
                String station = parts[3];
                String action = parts[5];
                JsonObject payload = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
                COMMANDS.add(new Command(station, action, payload));
                JsonObject st = STATIONS.get(station);
                if (st == null) {
                    reply(req, Reply.problem(404, "STATION_NOT_FOUND"));
                } else if (!st.getBoolean("connected")) {
                    reply(req, Reply.problem(409, "STATION_OFFLINE"));
                } else {
                    BiFunction<String, JsonObject, Reply> answer = COMMAND_REPLIES.getOrDefault(station,
                            (a, p) -> Reply.accepted(a));
                    vertx.executeBlocking(() -> answer.apply(action, payload), false)
                            .onSuccess(r -> reply(req, r))
                            .onFailure(f -> reply(req, Reply.problem(500, "STUB_FAILURE")));
                }
            } else if (req.method().name().equals("PUT") && path.startsWith("/internal/id-tags/") && idTagsDown) {
                reply(req, Reply.problem(500, "INTERNAL_ERROR"));
            } else if (req.method().name().equals("PUT") && path.startsWith("/internal/id-tags/")) {
                JsonObject tag = buffer.toJsonObject().put("idTag", parts[3]);
                ID_TAGS.put(parts[3], tag);
                reply(req, new Reply(200, tag));
            } else {
                reply(req, Reply.problem(404, "NOT_FOUND"));
            }
        });
    }

    // ---------------------------------------------------------------- payment-service

    public static long available(String clientId) {
        long held = HOLDS.values().stream().filter(h -> h.getString("clientId").equals(clientId)
                && "HELD".equals(h.getString("status"))).mapToLong(h -> h.getLong("amount")).sum();
        return BALANCES.getOrDefault(clientId, 0L) - held;
    }

    public static List<JsonObject> holdsOf(String clientId) {
        return HOLDS.values().stream().filter(h -> h.getString("clientId").equals(clientId)).toList();
    }

    public static List<JsonObject> capturesOf(String sessionId) {
        return CAPTURES.stream().filter(c -> c.getString("sessionId").equals(sessionId)).toList();
    }

    private synchronized Reply paymentAnswer(HttpServerRequest req, JsonObject body) {
        String[] parts = req.path().split("/");
        if (req.method().name().equals("GET") && parts.length == 4 && "wallets".equals(parts[2])) {
            String client = parts[3];
            long balance = BALANCES.getOrDefault(client, 0L);
            long available = available(client);
            return new Reply(200, new JsonObject().put("clientId", client).put("balance", balance)
                    .put("held", balance - available).put("available", available));
        }
        String key = body.getString("idempotencyKey");
        if (key == null) {
            return Reply.problem(400, "VALIDATION_FAILED");
        }
        JsonObject previous = IDEMPOTENT.get(key);
        String fingerprint = req.path() + body.encode();
        if (previous != null) {
            return previous.getString("fingerprint").equals(fingerprint)
                    ? new Reply(previous.getInteger("status"), previous.getJsonObject("body"))
                    : Reply.problem(409, "IDEMPOTENCY_KEY_REUSED");
        }
        Reply reply;
        if (parts.length == 5 && "wallets".equals(parts[2]) && "holds".equals(parts[4])) {
            String client = parts[3];
            long amount = body.getLong("amount");
            long available = available(client);
            if (amount > available) {
                reply = new Reply(409, new JsonObject().put("status", 409).put("code", "INSUFFICIENT_BALANCE")
                        .put("available", available));
            } else {
                String holdId = UUID.randomUUID().toString();
                JsonObject hold = new JsonObject().put("holdId", holdId).put("clientId", client)
                        .put("sessionId", body.getString("sessionId")).put("amount", amount).put("status", "HELD");
                HOLDS.put(holdId, hold);
                reply = new Reply(201, hold.copy());
            }
        } else if (parts.length == 5 && "holds".equals(parts[2])) {
            JsonObject hold = HOLDS.get(parts[3]);
            if (hold == null) {
                reply = Reply.problem(404, "HOLD_NOT_FOUND");
            } else if (!"HELD".equals(hold.getString("status"))) {
                reply = Reply.problem(409, "HOLD_NOT_OPEN");
            } else if ("capture".equals(parts[4])) {
                long amount = body.getLong("amount");
                long held = hold.getLong("amount");
                String client = hold.getString("clientId");
                long balance = BALANCES.getOrDefault(client, 0L);
                long captured = Math.min(amount, balance);
                BALANCES.put(client, balance - captured);
                hold.put("status", "CAPTURED");
                CAPTURES.add(new JsonObject().put("holdId", parts[3]).put("sessionId", hold.getString("sessionId"))
                        .put("amount", amount));
                reply = new Reply(200, new JsonObject().put("holdId", parts[3]).put("status", "CAPTURED")
                        .put("captured", captured).put("released", Math.max(0, held - amount))
                        .put("receivable", amount - captured));
            } else {
                hold.put("status", "RELEASED");
                reply = new Reply(200, new JsonObject().put("holdId", parts[3]).put("status", "RELEASED")
                        .put("released", hold.getLong("amount")));
            }
        } else {
            return Reply.problem(404, "NOT_FOUND");
        }
        IDEMPOTENT.put(key, new JsonObject().put("fingerprint", fingerprint).put("status", reply.status())
                .put("body", reply.body()));
        return reply;
    }

    private void payment(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            if (unauthenticated(req)) {
                return;
            }
            if (paymentDown) {
                reply(req, Reply.problem(500, "INTERNAL_ERROR"));
                return;
            }
            JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
            reply(req, paymentAnswer(req, body));
        });
    }

    private static void reply(HttpServerRequest req, Reply reply) {
        req.response().setStatusCode(reply.status())
                .putHeader("Content-Type", reply.status() >= 400 ? "application/problem+json" : "application/json")
                .end(reply.body().encode());
    }

    public static List<Command> allCommands() {
        return new ArrayList<>(COMMANDS);
    }
}
