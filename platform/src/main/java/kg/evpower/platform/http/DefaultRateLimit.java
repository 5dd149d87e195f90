package kg.evpower.platform.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import kg.evpower.platform.correlation.CorrelationId;
import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.Problems;
import kg.evpower.platform.ratelimit.MinuteWindow;

/**
 * The default rate limit of every service (issue 10): requests per client address per minute
 * ({@code RATE_LIMIT_DEFAULT_PER_MINUTE}; 0 turns it off), a fixed one-minute window counted in Redis so every replica
 * shares it (key {@code evpower:rl:default:<service>:<address>:<epoch minute>}). Above the budget the request gets 429
 * with a problem body and {@code Retry-After}. It <em>fails open</em>: when Redis does not answer within
 * {@code evpower.rate-limit.timeout} the request goes on (the critical limits of start/stop/top-up fail closed instead).
 * Paths in {@code evpower.rate-limit.exempt-paths} (operations, service-to-service, station sockets) are not counted.
 * Every decision is counted in {@code evpower_http_rate_limit_total{bucket="default",outcome=allowed|limited|unavailable}}.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // its counters exist (at 0) before the first request
public class DefaultRateLimit {

    static final String METER = "evpower.http.rate.limit";
    private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final ReactiveRedisDataSource redis;
    private final ClientAddress clientAddress;
    private final ObjectMapper mapper;
    private final String service;
    private final int perMinute;
    private final Duration timeout;
    private final List<String> exempt;
    private final Counter allowed;
    private final Counter limited;
    private final Counter unavailable;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    DefaultRateLimit(ReactiveRedisDataSource redis, ClientAddress clientAddress, ObjectMapper mapper, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "evpower.rate-limit.default-per-minute") int perMinute,
            @ConfigProperty(name = "evpower.rate-limit.timeout") Duration timeout,
            @ConfigProperty(name = "evpower.rate-limit.exempt-paths") List<String> exempt) {
        this.redis = redis;
        this.clientAddress = clientAddress;
        this.mapper = mapper;
        this.service = service;
        this.perMinute = perMinute;
        this.timeout = timeout;
        this.exempt = exempt.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
        this.allowed = counter(registry, "allowed");
        this.limited = counter(registry, "limited");
        this.unavailable = counter(registry, "unavailable");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(METER).description("Rate-limit decisions").tag("bucket", "default")
                .tag("outcome", outcome).register(registry);
    }

    void register(@Observes Router router) {
        if (perMinute > 0) {
            // after HttpHardening (MIN_VALUE + 10): suspicious requests are refused before they are counted
            router.route().order(Integer.MIN_VALUE + 20).handler(this::handle);
        }
    }

    void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null || exempt.stream().anyMatch(path::startsWith)) {
            ctx.next();
            return;
        }
        String address = clientAddress.of(ctx.request());
        MinuteWindow.hit(redis, "evpower:rl:default:" + service + ":" + address + ":")
                .ifNoItem().after(timeout).fail()
                .subscribe().with(count -> {
                    if (count > perMinute) {
                        limited.increment();
                        refuse(ctx, address);
                    } else {
                        allowed.increment();
                        ctx.next();
                    }
                }, failure -> {
                    unavailable.increment();
                    logOnce("redis", "The default rate limit could not reach Redis; letting requests through "
                            + "(fail open): " + failure);
                    ctx.next();
                });
    }

    private void refuse(RoutingContext ctx, String address) {
        logOnce(address, "Rate limit: " + address + " sent more than " + perMinute
                + " requests this minute; refusing with 429 (further ones are not logged for a minute)");
        long retryAfter = MinuteWindow.secondsLeft();
        String correlationId = CorrelationId.generate();
        Problem problem = new Problem(Problem.typeOf("RATE_LIMITED"), Problems.titleOf(429), 429,
                "Too many requests from this address; retry after " + retryAfter + " seconds.", "RATE_LIMITED",
                correlationId, List.of());
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "";
        }
        ctx.response().setStatusCode(429).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("Retry-After", Long.toString(retryAfter)).putHeader(CorrelationId.HEADER, correlationId)
                .end(body);
    }

    private void logOnce(String subject, String message) {
        long now = System.nanoTime();
        Long previous = lastLogged.get(subject);
        if (previous == null || now - previous > LOG_INTERVAL_NANOS) {
            if (lastLogged.size() > 10_000) {
                lastLogged.clear();
            }
            lastLogged.put(subject, now);
            Log.warn(message);
        }
    }
}
