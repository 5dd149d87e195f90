package kg.evpower.security.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import kg.evpower.platform.auth.ServiceAuthFilter;
import kg.evpower.platform.auth.ServiceTokenVerifier;
import kg.evpower.platform.problem.Problems;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.metrics.SecurityMetrics;
import kg.evpower.security.service.AdminAuthenticator;
import kg.evpower.security.service.AuditService;
import kg.evpower.security.service.AuditService.Entry;
import kg.evpower.security.service.AuditService.Outcome;
import kg.evpower.security.service.AuthThrottle;
import kg.evpower.security.service.Caller;

/**
 * For every request: the source address; rate limits (Redis, per source address and minute) on {@code /auth/**} and the
 * admin API; and admin authentication on {@code /admin/**, /keys/**, /status/**, /security/**}. Refused admin calls
 * are audited as incidents.
 */
public class SecurityRequestFilter {

    public static final String ADMIN_KEY_HEADER = "X-Admin-Key";

    private final RequestCaller requestCaller;
    private final SourceAddressResolver addresses;
    private final AuthThrottle throttle;
    private final AdminAuthenticator admins;
    private final AuditService audit;
    private final SecurityConfig config;
    private final SecurityMetrics metrics;

    SecurityRequestFilter(RequestCaller requestCaller, SourceAddressResolver addresses, AuthThrottle throttle,
            AdminAuthenticator admins, AuditService audit, SecurityConfig config, SecurityMetrics metrics) {
        this.metrics = metrics;
        this.requestCaller = requestCaller;
        this.addresses = addresses;
        this.throttle = throttle;
        this.admins = admins;
        this.audit = audit;
        this.config = config;
    }

    @ServerRequestFilter
    public Uni<Response> filter(ContainerRequestContext context, HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String source = addresses.resolve(peer, request.getHeader("X-Forwarded-For"));
        requestCaller.sourceAddress(source);
        String path = context.getUriInfo().getPath();
        if (path.startsWith("/internal/")
                && context.getProperty(ServiceAuthFilter.CALLER) instanceof ServiceTokenVerifier.Caller service) {
            // Runs after the platform's ServiceAuthFilter (priority AUTHENTICATION): the verified service.
            requestCaller.actor("service:" + service.subject());
        }
        if (path.startsWith("/auth/")) {
            return limit("auth", source, config.rateLimit().authPerMinute());
        }
        if (isAdmin(path)) {
            return limit("admin", source, config.rateLimit().adminPerMinute())
                    .chain(limited -> limited != null ? Uni.createFrom().item(limited)
                            : authenticateAdmin(context, source, path));
        }
        return Uni.createFrom().nullItem();
    }

    static boolean isAdmin(String path) {
        return path.startsWith("/admin/") || path.equals("/admin") || path.startsWith("/keys/")
                || path.startsWith("/status/") || path.startsWith("/security/") || path.equals("/security");
    }

    private Uni<Response> limit(String bucket, String source, int perMinute) {
        return throttle.tryAcquire(bucket, String.valueOf(source), perMinute).invoke(allowed -> {
            if (!allowed && "auth".equals(bucket)) {
                metrics.authFailure("rate_limited");
            }
        }).map(allowed -> allowed ? null
                : Response.fromResponse(Problems.response(429, "RATE_LIMITED", "Too many requests",
                        "Too many requests from this address; try again in a minute")).header("Retry-After", "60").build());
    }

    private Uni<Response> authenticateAdmin(ContainerRequestContext context, String source, String path) {
        return admins.check(context.getHeaderString(ADMIN_KEY_HEADER), context.getHeaderString("Authorization"))
                .chain(verdict -> {
                    if (verdict.allowed()) {
                        requestCaller.actor(verdict.actor());
                        return Uni.createFrom().nullItem();
                    }
                    if (!verdict.configured()) {
                        return Uni.createFrom().item(Problems.response(503, "ADMIN_NOT_CONFIGURED",
                                "Service unavailable", "Admin operations are not configured"));
                    }
                    String code = "ADMIN_CREDENTIAL_MISSING".equals(verdict.reason()) ? "ADMIN_AUTH_REQUIRED"
                            : "ADMIN_ROLE_MISSING".equals(verdict.reason()) ? "ADMIN_ROLE_REQUIRED" : "ADMIN_AUTH_INVALID";
                    int status = "ADMIN_ROLE_REQUIRED".equals(code) ? 403 : 401;
                    return audit.recordAlone(new Entry(new Caller("unknown", source), "ADMIN_ACCESS", Outcome.DENIED,
                            "CRITICAL", null, "UNAUTHORIZED_ADMIN_ACCESS " + verdict.reason() + " "
                                    + context.getMethod() + " " + path))
                            .replaceWith(Problems.response(status, code, status == 403 ? "Forbidden" : "Unauthorized",
                                    status == 403 ? "The token does not carry the admin role"
                                            : "Invalid or missing admin credentials"));
                });
    }
}
