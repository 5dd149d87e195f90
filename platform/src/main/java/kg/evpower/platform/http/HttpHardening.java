package kg.evpower.platform.http;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.logging.Log;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import kg.evpower.platform.correlation.CorrelationId;
import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.Problems;

/**
 * The first handler of every request: refuses suspicious requests (path traversal, encoded separators, control
 * characters in the path or a header) with a problem body before any application code runs, logging once a minute per
 * source, and puts the security headers on every response (HSTS only when the request came over TLS).
 */
@ApplicationScoped
public class HttpHardening {

    static final String CSP_API = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** Swagger UI is a page: it needs its own scripts and styles, nothing from elsewhere. */
    static final String CSP_UI = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    private static final List<String> TRAVERSAL = List.of("/../", "/./", "%2e", "%2f", "%5c", "\\", "%00");
    private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    static final String SUSPICIOUS_METER = "evpower.http.suspicious.requests";
    static final String TRAVERSAL_REASON = "path traversal or encoded separator";
    static final List<String> REASONS = List.of("no request target", "path traversal", TRAVERSAL_REASON,
            "control character in the request target", "control character in a header", "oversized body");

    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    private final long maxBodyBytes;

    HttpHardening(ObjectMapper mapper, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize maxBody) {
        this.mapper = mapper;
        this.registry = registry;
        this.maxBodyBytes = maxBody.asLongValue();
        // Every reason exists from the start (at 0), so dashboards and alerts see the series before the first refusal.
        for (String reason : REASONS) {
            registry.counter(SUSPICIOUS_METER, "reason", reason);
        }
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean tls = request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
        boolean page = request.path() != null && request.path().startsWith("/q/swagger-ui");
        ctx.addHeadersEndHandler(ignored -> secure(ctx.response().headers(), tls, page));
        String reason = suspicious(request);
        if (reason != null) {
            refuse(ctx, 400, "SUSPICIOUS_REQUEST", "The request was refused: " + reason + ".", reason);
            return;
        }
        if (declaredLength(request) > maxBodyBytes) {
            refuse(ctx, 413, "PAYLOAD_TOO_LARGE", "The request body is larger than this service accepts ("
                    + maxBodyBytes + " bytes).", "oversized body");
            return;
        }
        ctx.next();
    }

    static void secure(MultiMap headers, boolean tls, boolean page) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Content-Security-Policy", page ? CSP_UI : CSP_API);
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
        headers.remove(HttpHeaders.SERVER);
        headers.remove("X-Powered-By");
        if (tls) {
            headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }

    /** Why the request is refused, or null. */
    static String suspicious(HttpServerRequest request) {
        String uri = request.uri();
        if (uri == null) {
            return "no request target";
        }
        String rawPath = uri.indexOf('?') >= 0 ? uri.substring(0, uri.indexOf('?')) : uri;
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.endsWith("/..") || lower.endsWith("/.")) {
            return "path traversal";
        }
        for (String pattern : TRAVERSAL) {
            if (lower.contains(pattern)) {
                return TRAVERSAL_REASON;
            }
        }
        if (hasControl(uri)) {
            return "control character in the request target";
        }
        for (Map.Entry<String, String> header : request.headers()) {
            if (hasControl(header.getKey()) || hasControl(header.getValue())) {
                return "control character in a header";
            }
        }
        return null;
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        // Percent-encoded control characters in the target.
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.contains("%0a") || lower.contains("%0d") || lower.contains("%00");
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(RoutingContext ctx, int status, String code, String detail, String reason) {
        String source = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        registry.counter(SUSPICIOUS_METER, "reason", reason).increment();
        long now = System.nanoTime();
        Long previous = lastLogged.get(source);
        if (previous == null || now - previous > LOG_INTERVAL_NANOS) {
            lastLogged.put(source, now);
            if (lastLogged.size() > 10_000) {
                lastLogged.clear();
            }
            Log.warnf("Refused a suspicious request from %s: %s (further ones from it are not logged for a minute)",
                    source, reason);
        }
        String correlationId = CorrelationId.generate();
        Problem problem = new Problem(Problem.typeOf(code), Problems.titleOf(status), status, detail, code,
                correlationId, List.of());
        try {
            if (status == 413) {
                // The unread body must not be taken for the next request on this connection.
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(CorrelationId.HEADER, correlationId).end(mapper.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
