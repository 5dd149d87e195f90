package kg.evpower.platform.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The {@code Authorization} header this service sends on its {@code /internal/**} calls: a service token obtained
 * from security-service by client credentials, cached and renewed a minute before it expires (one request for all
 * concurrent callers).
 */
@ApplicationScoped
public class ServiceTokens {

    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    private record Token(String header, long expiresAtNanos) {
    }

    private final ServiceAuthConfig config;
    private final HttpClient http;
    private volatile Token current;
    private volatile Uni<Token> fetching;

    ServiceTokens(ServiceAuthConfig config, Vertx vertx) {
        this.config = config;
        this.http = vertx.createHttpClient();
    }

    /** {@code "Bearer <token>"}, fetching or renewing the token when needed. */
    public Uni<String> authorizationHeader() {
        Token token = current;
        if (token != null && System.nanoTime() < token.expiresAtNanos() - RENEW_BEFORE.toNanos()) {
            return Uni.createFrom().item(token.header());
        }
        return fetch().map(Token::header);
    }

    /** Forgets the cached token (after a 401 from a callee, e.g. when keys were rotated). */
    public void invalidate() {
        current = null;
    }

    private synchronized Uni<Token> fetch() {
        if (fetching == null) {
            fetching = request().invoke(t -> current = t)
                    .onTermination().invoke(() -> {
                        synchronized (this) {
                            fetching = null;
                        }
                    })
                    .memoize().indefinitely();
        }
        return fetching;
    }

    private Uni<Token> request() {
        String url = config.tokenUrl().orElse(null);
        String secret = config.clientSecret().orElse(null);
        if (url == null || secret == null || secret.isBlank()) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "evpower.service-auth.token-url and EVPOWER_SERVICE_SECRET are needed for internal calls"));
        }
        JsonObject body = new JsonObject().put("client_id", config.clientId()).put("client_secret", secret);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setTimeout(config.timeout().toMillis()).putHeader("Content-Type", "application/json");
        return http.request(options)
                .chain(request -> request.send(Buffer.buffer(body.encode())))
                .chain(response -> response.body().map(buffer -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("security-service refused the service token request ("
                                + response.statusCode() + ")");
                    }
                    JsonObject answer = new JsonObject(buffer.toString(StandardCharsets.UTF_8));
                    long expiresIn = answer.getLong("expires_in", 300L);
                    return new Token("Bearer " + answer.getString("access_token"),
                            System.nanoTime() + Duration.ofSeconds(expiresIn).toNanos());
                }));
    }
}
