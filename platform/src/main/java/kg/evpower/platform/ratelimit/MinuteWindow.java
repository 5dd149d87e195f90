package kg.evpower.platform.ratelimit;

import java.time.Instant;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * The fixed one-minute window every EvPower rate limit counts in: Redis key {@code <prefix><epoch minute>},
 * {@code INCR}, and {@code EXPIRE} of 120 s on the first hit, so every replica shares the count and old windows vanish.
 * Callers decide what a count above their budget means and what a Redis failure means (fail open or closed).
 */
public final class MinuteWindow {

    private MinuteWindow() {
    }

    /** The current minute of {@code prefix}'s window; the count including this hit. */
    public static Uni<Long> hit(ReactiveRedisDataSource redis, String prefix) {
        String key = prefix + Instant.now().getEpochSecond() / 60;
        return redis.value(Long.class).incr(key)
                .call(count -> count == 1 ? redis.key().expire(key, 120) : Uni.createFrom().voidItem());
    }

    /** Whole seconds until the current window ends (at least 1), for {@code Retry-After}. */
    public static long secondsLeft() {
        long now = Instant.now().getEpochSecond();
        return Math.max(1, (now / 60 + 1) * 60 - now);
    }
}
