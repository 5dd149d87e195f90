package kg.evpower.payment.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.config.PaymentConfig;

/**
 * Fixed one-minute windows per source address in Redis ({@code INCR} + {@code EXPIRE}), shared by every replica. If Redis
 * cannot be asked, the caller refuses the request (fails closed).
 */
@ApplicationScoped
public class WebhookRateLimiter {

    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveRedisDataSource redis;
    private final PaymentConfig config;

    WebhookRateLimiter(ReactiveRedisDataSource redis, PaymentConfig config) {
        this.redis = redis;
        this.counters = redis.value(Long.class);
        this.config = config;
    }

    /** Whether one more request from {@code source} fits this minute's budget. */
    public Uni<Boolean> allow(String source) {
        long minute = Instant.now().getEpochSecond() / 60;
        String key = "evpower:payment:rl:webhook:" + source + ":" + minute;
        return counters.incr(key).call(n -> n == 1 ? redis.key().expire(key, 120) : Uni.createFrom().voidItem())
                .map(n -> n <= config.webhook().ratePerMinute());
    }
}
