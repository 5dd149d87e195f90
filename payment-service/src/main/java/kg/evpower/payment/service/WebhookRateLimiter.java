package kg.evpower.payment.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.platform.ratelimit.MinuteWindow;

/**
 * Fixed one-minute windows per source address in Redis ({@link MinuteWindow}), shared by every replica. If Redis
 * cannot be asked, the caller refuses the request (fails closed).
 */
@ApplicationScoped
public class WebhookRateLimiter {

    private final ReactiveRedisDataSource redis;
    private final PaymentConfig config;

    WebhookRateLimiter(ReactiveRedisDataSource redis, PaymentConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Whether one more request from {@code source} fits this minute's budget. */
    public Uni<Boolean> allow(String source) {
        return MinuteWindow.hit(redis, "evpower:payment:rl:webhook:" + source + ":")
                .map(n -> n <= config.webhook().ratePerMinute());
    }
}
