package kg.evpower.charging.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.platform.ratelimit.MinuteWindow;

/**
 * The critical rate limit of issue 10 / A2: start and stop requests per authenticated client per minute
 * ({@code RATE_LIMIT_CRITICAL_PER_MINUTE}, default 10), a fixed one-minute window counted in Redis (shared by every
 * replica and shared with payment-service's top-ups, key {@code evpower:rl:critical:<clientId>:<epochMinute>}) through
 * the named Redis client {@code ratelimit}. Fails closed: when Redis does not answer within the
 * configured timeout the request is refused with 503. Every decision is counted in
 * {@code evpower_charging_rate_limit_total{bucket="critical", outcome=allowed|limited|unavailable}}.
 */
// Created at start-up so that its counters are on /q/metrics (at 0) before the first decision.
@io.quarkus.runtime.Startup
@ApplicationScoped
public class CriticalRateLimiter {

    private final ReactiveRedisDataSource redis;
    private final ChargingConfig config;
    private final Counter allowed;
    private final Counter limited;
    private final Counter unavailable;

    CriticalRateLimiter(@RedisClientName("ratelimit") ReactiveRedisDataSource redis, ChargingConfig config,
            MeterRegistry registry) {
        this.redis = redis;
        this.config = config;
        this.allowed = counter(registry, "allowed");
        this.limited = counter(registry, "limited");
        this.unavailable = counter(registry, "unavailable");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("evpower.charging.rate.limit").description("Rate-limit decisions of charging-service")
                .tag("bucket", "critical").tag("outcome", outcome).register(registry);
    }

    /** Completes when {@code clientId} may go on; fails with 429 {@code too_many_requests} or 503 when Redis is down. */
    public Uni<Void> check(String clientId) {
        // the key docs/contracts.md fixes: payment-service counts top-ups on it, so start/stop/top-up share one budget
        return MinuteWindow.hit(redis, "evpower:rl:critical:" + clientId + ":")
                .ifNoItem().after(config.rateLimit().timeout()).fail()
                .onFailure().transform(f -> {
                    unavailable.increment();
                    Log.warnf("Rate limiter unavailable, refusing (fail closed): %s", f.toString());
                    return AppError.unavailable("service_unavailable",
                            "The service is temporarily unavailable; try again shortly");
                })
                .map(n -> {
                    if (n > config.rateLimit().criticalPerMinute()) {
                        limited.increment();
                        throw new AppError(429, "too_many_requests", "Rate limit exceeded (critical)", null);
                    }
                    allowed.increment();
                    return null;
                });
    }
}
