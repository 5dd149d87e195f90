package kg.evpower.platform.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;
import kg.evpower.platform.problem.Problems;

/**
 * Every request to {@code /internal/**} must carry a service token of security-service with the service group; others
 * are answered 401 {@code SERVICE_TOKEN_REQUIRED} or 403 {@code SERVICE_ROLE_REQUIRED} before any resource runs.
 */
public class ServiceAuthFilter {

    /** Request property holding the verified {@link ServiceTokenVerifier.Caller}. */
    public static final String CALLER = ServiceAuthFilter.class.getName() + ".caller";

    private final ServiceTokenVerifier verifier;
    private final ServiceAuthConfig config;

    ServiceAuthFilter(ServiceTokenVerifier verifier, ServiceAuthConfig config) {
        this.verifier = verifier;
        this.config = config;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!config.enabled() || !(path.startsWith("/internal/") || path.equals("/internal"))) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        return verifier.verify(token)
                .map(caller -> {
                    request.setProperty(CALLER, caller);
                    MDC.put("caller", caller.subject());
                    return (Response) null;
                })
                .onFailure().recoverWithItem(failure -> {
                    boolean forbidden = failure instanceof ServiceTokenVerifier.RefusedToken refused && refused.missingRole();
                    String detail = failure instanceof ServiceTokenVerifier.RefusedToken
                            ? failure.getMessage() : "The service token could not be verified.";
                    return forbidden
                            ? Problems.response(403, "SERVICE_ROLE_REQUIRED", "Forbidden", detail)
                            : Response.fromResponse(Problems.response(401, "SERVICE_TOKEN_REQUIRED", "Unauthorized", detail))
                                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
                });
    }
}
