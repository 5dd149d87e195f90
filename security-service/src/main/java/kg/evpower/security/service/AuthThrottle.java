package kg.evpower.security.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import kg.evpower.security.config.SecurityConfig;

/**
 * Failure counters (lock-out) and request counters (rate limits) in Redis, shared by every replica. A counter is a key
 * incremented per event and expiring with its window, so nothing needs cleaning up.
 */
@ApplicationScoped
public class AuthThrottle {

    static final String PREFIX = "evpower:security:";

    private final ReactiveValueCommands<String, Long> values;
    private final ReactiveKeyCommands<String> keys;
    private final SecurityConfig config;

    AuthThrottle(ReactiveRedisDataSource redis, SecurityConfig config) {
        this.values = redis.value(Long.class);
        this.keys = redis.key();
        this.config = config;
    }

    /**
     * What the failure counters say before a check: whether the charge point or the source address has reached the
     * failure limit of the window, and whether the charge point has any failure a success would have to clear.
     */
    public record Standing(boolean lockedOut, boolean chargePointFailures) {
    }

    /** The charge point's and the source address's standing (see {@link Standing}). */
    public Uni<Standing> standing(String cpId, String sourceAddress) {
        int max = config.lockout().maxFailures();
        return count(failKey("cp", cpId)).chain(cp -> cp >= max
                ? Uni.createFrom().item(new Standing(true, true))
                : sourceAddress == null ? Uni.createFrom().item(new Standing(false, cp > 0))
                        : count(failKey("ip", sourceAddress)).map(ip -> new Standing(ip >= max, cp > 0)));
    }

    /** Counts a failure for both; whether either is now locked out. */
    public Uni<Boolean> recordFailure(String cpId, String sourceAddress) {
        Duration window = config.lockout().window();
        int max = config.lockout().maxFailures();
        Uni<Long> cp = increment(failKey("cp", cpId), window);
        return cp.chain(cpCount -> sourceAddress == null
                ? Uni.createFrom().item(cpCount >= max)
                : increment(failKey("ip", sourceAddress), window).map(ipCount -> cpCount >= max || ipCount >= max));
    }

    /**
     * A success clears the charge point's failures (the source address keeps its own). Callers skip it when
     * {@link #standing} saw none: a DEL per successful check for nothing to delete.
     */
    public Uni<Void> recordSuccess(String cpId) {
        return keys.del(failKey("cp", cpId)).replaceWithVoid();
    }

    /** Takes one request of {@code bucket} for {@code sourceAddress} in the current minute; false when over the limit. */
    public Uni<Boolean> tryAcquire(String bucket, String sourceAddress, int perMinute) {
        long minute = Instant.now().getEpochSecond() / 60;
        return increment(PREFIX + "rate:" + bucket + ":" + sourceAddress + ":" + minute, Duration.ofMinutes(2))
                .map(count -> count <= perMinute);
    }

    private Uni<Long> count(String key) {
        return values.get(key).map(v -> v == null ? 0L : v);
    }

    private Uni<Long> increment(String key, Duration ttl) {
        return values.incr(key).call(count -> count == 1 ? keys.expire(key, ttl) : Uni.createFrom().voidItem());
    }

    private static String failKey(String kind, String id) {
        return PREFIX + "authfail:" + kind + ":" + id;
    }
}
