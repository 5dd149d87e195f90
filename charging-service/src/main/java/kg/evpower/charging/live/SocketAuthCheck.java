package kg.evpower.charging.live;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Authenticates the app socket's HTTP upgrade with the end-user JWT, from the {@code Authorization: Bearer} header or a
 * {@code token} query parameter (mobile WebSocket clients often cannot set headers): an invalid or missing token is
 * refused with 401 before the upgrade; an {@code Origin} that is not in the CORS allow-list is refused with 403 (A3.4).
 * The token itself is never logged.
 */
@ApplicationScoped
public class SocketAuthCheck implements HttpUpgradeCheck {

    static final TypedKey<String> CLIENT_ID = TypedKey.forString("clientId");

    private final JWTParser parser;
    private final Optional<List<String>> origins;

    SocketAuthCheck(JWTParser parser, @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins) {
        this.parser = parser;
        this.origins = origins;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin != null && origins.map(list -> !list.contains(origin)).orElse(true)) {
            Log.infof("App socket refused: origin not allowed");
            return CheckResult.rejectUpgrade(403);
        }
        String token = token(request.getHeader("Authorization"), request.getParam("token"));
        if (token == null) {
            return CheckResult.rejectUpgrade(401);
        }
        // JWKS retrieval may block: verify on a worker thread
        return Uni.createFrom().item(() -> verify(token))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(sub -> {
                    if (sub == null) {
                        return CheckResult.rejectUpgrade(401);
                    }
                    context.userData().put(CLIENT_ID, sub);
                    return CheckResult.permitUpgrade();
                });
    }

    static String token(String authorization, String query) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = authorization.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
        return query == null || query.isBlank() ? null : query.trim();
    }

    private String verify(String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            String sub = jwt.getSubject();
            return sub == null || sub.isBlank() || sub.length() > 100 ? null : sub;
        } catch (Exception e) {
            Log.infof("App socket refused: invalid token (%s)", e.getClass().getSimpleName());
            return null;
        }
    }
}
