package kg.evpower.platform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@TestProfile(ServiceTokensTest.WithTokenServer.class)
class ServiceTokensTest {

    static final int PORT = 18994;

    public static class WithTokenServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("evpower.service-auth.token-url", "http://127.0.0.1:" + PORT + "/auth/service-token",
                    "evpower.service-auth.client-secret", "test-client-secret-0123456789abcdef",
                    "evpower.service-auth.client-id", "platform-test");
        }
    }

    @Inject
    ServiceTokens tokens;

    /** A Vert.x of the test's own: a server on the application's instance would join its HTTP metrics. */
    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<JsonObject> lastBody = new AtomicReference<>();
    private volatile boolean refuse;

    @BeforeEach
    void startTokenServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            requests.incrementAndGet();
            lastBody.set(body.toJsonObject());
            if (refuse) {
                request.response().setStatusCode(401).end("{}");
                return;
            }
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("access_token", "token-" + requests.get()).put("token_type", "Bearer").put("expires_in", 900)
                    .encode());
        })).listen(PORT, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        tokens.invalidate();
    }

    @AfterEach
    void stopTokenServer() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void concurrentCallersShareOneFetchAndTheTokenIsCached() {
        List<String> headers = Uni.join().all(tokens.authorizationHeader(), tokens.authorizationHeader(),
                tokens.authorizationHeader()).andFailFast().await().indefinitely();
        assertEquals(List.of("Bearer token-1", "Bearer token-1", "Bearer token-1"), headers);
        assertEquals("Bearer token-1", tokens.authorizationHeader().await().indefinitely());
        assertEquals(1, requests.get());
        assertEquals("platform-test", lastBody.get().getString("client_id"));
        assertEquals("test-client-secret-0123456789abcdef", lastBody.get().getString("client_secret"));
    }

    @Test
    void invalidateFetchesANewToken() {
        tokens.authorizationHeader().await().indefinitely();
        tokens.invalidate();
        assertEquals("Bearer token-2", tokens.authorizationHeader().await().indefinitely());
    }

    @Test
    void refusalIsAFailureWithoutTheSecret() {
        refuse = true;
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> tokens.authorizationHeader().await().indefinitely());
        assertTrue(failure.getMessage().contains("401"));
        assertTrue(!failure.getMessage().contains("test-client-secret"));
    }
}
