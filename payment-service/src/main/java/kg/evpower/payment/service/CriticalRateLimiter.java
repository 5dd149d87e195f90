package kg.evpower.payment.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.rest.MobileException;
import kg.evpower.platform.ratelimit.MinuteWindow;

/**
 * The critical bucket of issue 10 (seed A2.4): money-moving calls of one authenticated client, at most
 * {@code RATE_LIMIT_CRITICAL_PER_MINUTE} (default 10) per fixed minute, counted in Redis under
 * {@code evpower:rl:critical:<clientId>:<minute>} so every replica (and any service using the same key for charging
 * start/stop) shares one budget. When Redis cannot be asked the call is refused (fails closed, 503). Every decision is
 * counted in {@code evpower_rate_limit_total{bucket="critical",outcome=allowed|limited|unavailable}}.
 */
// Created at start-up so that its counters are on /q/metrics (at 0) before the first decision.
@io.quarkus.runtime.Startup
@ApplicationScoped
public class CriticalRateLimiter {

    public static final String KEY_PREFIX = "evpower:rl:critical:";

    private final ReactiveRedisDataSource redis;
    private final PaymentConfig config;
    private final Counter allowed;
    private final Counter limited;
    private final Counter unavailable;

    CriticalRateLimiter(ReactiveRedisDataSource redis, PaymentConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.config = config;
        this.allowed = counter(registry, "allowed");
        this.limited = counter(registry, "limited");
        this.unavailable = counter(registry, "unavailable");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("evpower.rate.limit").description("Rate-limit decisions")
                .tag("bucket", "critical").tag("outcome", outcome).register(registry);
    }

    /** Completes when the client may go on; fails with 429 {@code too_many_requests} or 503 {@code service_unavailable}. */
    public Uni<Void> check(String clientId) {
        int limit = config.rateLimit().criticalPerMinute();
        return MinuteWindow.hit(redis, KEY_PREFIX + clientId + ":")
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .onFailure().transform(failure -> {
                    unavailable.increment();
                    Log.errorf("critical rate limiter cannot reach Redis (%s); refusing", failure.getClass().getSimpleName());
                    return new MobileException(503, "service_unavailable",
                            "The service cannot check its rate limit right now; try again shortly.");
                })
                .onItem().transform(count -> {
                    if (count > limit) {
                        limited.increment();
                        throw new MobileException(429, "too_many_requests", "Rate limit exceeded (critical)");
                    }
                    allowed.increment();
                    return null;
                });
    }
}
