package kg.evpower.security.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.platform.problem.ProblemException;
import kg.evpower.security.config.Secrets;
import kg.evpower.security.service.AuditService.Entry;
import kg.evpower.security.service.AuditService.Outcome;

/**
 * Client credentials for service tokens: each platform service has its own secret in security-service's environment.
 * Secrets are compared as SHA-256 digests with {@link MessageDigest#isEqual} (constant time, length hidden); an unknown
 * client is compared against a random value so it answers like a wrong secret.
 */
@ApplicationScoped
public class ServiceTokenService {

    /** Client id → environment variable holding its secret. */
    public static final Map<String, String> CLIENTS = Map.of(
            "station-gateway", "EV_SERVICE_SECRET_GATEWAY",
            "charging-service", "EV_SERVICE_SECRET_CHARGING",
            "payment-service", "EV_SERVICE_SECRET_PAYMENT");

    private static final byte[] NOBODY = digest(java.util.UUID.randomUUID().toString());

    private final Secrets secrets;
    private final TokenService tokens;
    private final AuditService audit;

    ServiceTokenService(Secrets secrets, TokenService tokens, AuditService audit) {
        this.secrets = secrets;
        this.tokens = tokens;
        this.audit = audit;
    }

    public Uni<TokenService.IssuedToken> issue(String clientId, String clientSecret, Caller caller) {
        String variable = clientId == null ? null : CLIENTS.get(clientId);
        byte[] expected = variable == null ? NOBODY : secrets.find(variable).map(ServiceTokenService::digest).orElse(NOBODY);
        boolean match = MessageDigest.isEqual(expected, digest(clientSecret == null ? "" : clientSecret))
                && expected != NOBODY;
        String actor = variable == null ? "unknown-client" : "service:" + clientId;
        if (!match) {
            return audit.recordAlone(new Entry(caller.as(actor), "SERVICE_TOKEN", Outcome.FAILURE, "WARN", null,
                    variable == null ? "UNKNOWN_CLIENT" : "INVALID_CREDENTIALS"))
                    .chain(() -> Uni.createFrom().failure(new ProblemException(401, "INVALID_CLIENT", "Unauthorized",
                            "Unknown client or wrong client secret")));
        }
        TokenService.IssuedToken token = tokens.issueServiceToken(clientId);
        return audit.recordAlone(new Entry(caller.as(actor), "SERVICE_TOKEN", Outcome.SUCCESS, "INFO", null, null))
                .replaceWith(token);
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
