package kg.evpower.security.rest;

import java.time.Instant;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import kg.evpower.platform.problem.ProblemException;
import kg.evpower.security.domain.ChargePointStatus;
import kg.evpower.security.service.ChargePointService;
import kg.evpower.security.service.ServiceTokenService;
import kg.evpower.security.service.TokenService;

/** EV_Central-compatible charge-point authentication, and client-credentials service tokens. */
@Path("/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CredentialsRequest(String cpId, String credentials) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenRequest(String cpId, String token) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CpAuthResponse(boolean success, String cpId, String securityStatus, boolean isAuthorized, String message,
            String token, Instant tokenExpiresAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ServiceTokenRequest(String clientId, String clientSecret) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ServiceTokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    private final ChargePointService chargePoints;
    private final ServiceTokenService serviceTokens;
    private final RequestCaller caller;

    AuthResource(ChargePointService chargePoints, ServiceTokenService serviceTokens, RequestCaller caller) {
        this.chargePoints = chargePoints;
        this.serviceTokens = serviceTokens;
        this.caller = caller;
    }

    @POST
    @Path("/credentials")
    public Uni<CpAuthResponse> credentials(CredentialsRequest request) {
        Require.body(request);
        String cpId = Require.text(request.cpId(), "cp_id");
        String credentials = Require.text(request.credentials(), "credentials");
        return chargePoints.authenticate(cpId, credentials, caller.caller(), "AUTH_CREDENTIALS").map(result -> {
            if (result.lockedOut()) {
                throw new ProblemException(429, "LOCKED_OUT", "Too many requests",
                        "Too many failed attempts for this charge point or address; try again later");
            }
            if (!result.authenticated()) {
                // Unknown charge point, wrong credentials and REVOKED look alike: no oracle.
                return new CpAuthResponse(false, cpId, "UNKNOWN", false, "Authentication failed", null, null);
            }
            if (result.status() != ChargePointStatus.ACTIVE) {
                return new CpAuthResponse(false, cpId, result.status().name(), false,
                        "Charge point is out of service: no token", null, null);
            }
            TokenService.IssuedToken token = chargePoints.issueToken(result);
            return new CpAuthResponse(true, cpId, "ACTIVE", true, "Authenticated", token.token(), token.expiresAt());
        });
    }

    @POST
    @Path("/token")
    public Uni<CpAuthResponse> token(TokenRequest request) {
        Require.body(request);
        String cpId = Require.text(request.cpId(), "cp_id");
        String token = Require.text(request.token(), "token");
        return chargePoints.checkToken(cpId, token, caller.caller()).map(check -> {
            if (check.valid()) {
                return new CpAuthResponse(true, cpId, "ACTIVE", true, "Token valid", token, null);
            }
            String status = check.status() == ChargePointStatus.OUT_OF_SERVICE ? "OUT_OF_SERVICE" : "UNKNOWN";
            return new CpAuthResponse(false, cpId, status, false, messageOf(check.reason()), null, null);
        });
    }

    @POST
    @Path("/service-token")
    public Uni<ServiceTokenResponse> serviceToken(ServiceTokenRequest request) {
        Require.body(request);
        return serviceTokens.issue(Require.text(request.clientId(), "client_id"),
                Require.text(request.clientSecret(), "client_secret"), caller.caller())
                .map(t -> new ServiceTokenResponse(t.token(), "Bearer", t.expiresInSeconds()));
    }

    static String messageOf(String reason) {
        return switch (reason == null ? "" : reason) {
            case "EXPIRED_TOKEN" -> "Token expired";
            case "TOKEN_CP_MISMATCH" -> "Token CP ID mismatch";
            case "TOKEN_VERSION_MISMATCH" -> "Token revoked";
            case "OUT_OF_SERVICE" -> "Charge point is out of service";
            case "REVOKED" -> "Charge point is revoked";
            default -> "Invalid token";
        };
    }
}
