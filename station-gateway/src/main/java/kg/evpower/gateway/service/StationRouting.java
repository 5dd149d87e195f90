package kg.evpower.gateway.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.platform.config.InstanceId;

/** {@code gw:station:{id} → instanceId} in Redis: which replica holds a station's socket (TTL refreshed by traffic). */
@ApplicationScoped
public class StationRouting {

    private static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end""";

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final GatewayConfig config;
    private final String instanceId;

    StationRouting(ReactiveRedisDataSource redis, GatewayConfig config, InstanceId instanceId) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.config = config;
        this.instanceId = instanceId.value();
    }

    public static String key(String chargePointId) {
        return "gw:station:" + chargePointId;
    }

    public String instanceId() {
        return instanceId;
    }

    /** This replica now holds the station's socket. */
    public Uni<Void> claim(String chargePointId) {
        return values.set(key(chargePointId), instanceId, new SetArgs().ex(config.routing().ttl()));
    }

    /** Forgets the record only if it still names this replica (the station may have moved on). */
    public Uni<Void> release(String chargePointId) {
        return redis.execute("EVAL", RELEASE, "1", key(chargePointId), instanceId).replaceWithVoid();
    }

    /** The replica holding the station's socket, or null when none does. */
    public Uni<String> owner(String chargePointId) {
        return values.get(key(chargePointId));
    }

    public List<String> keysOf(List<String> ids) {
        return ids.stream().map(StationRouting::key).toList();
    }
}
