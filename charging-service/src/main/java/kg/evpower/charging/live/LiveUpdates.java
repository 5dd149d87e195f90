package kg.evpower.charging.live;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import kg.evpower.charging.config.ChargingConfig;

/**
 * Fan-out of live updates across replicas: every update is published on one Redis pub/sub channel and every replica
 * (this one included) delivers what it receives to its own app sockets. Nothing is delivered in-process only, so a
 * subscriber on any replica sees an update produced on any replica.
 */
@ApplicationScoped
public class LiveUpdates {

    /**
     * One update on the channel: the app message and its routing. {@code clientId} set = only that client's sockets
     * (session progress); otherwise the sockets subscribed to one of {@code channels} (A3.4: all, location:{id},
     * location_stations:{id}).
     */
    public record Update(List<String> channels, String clientId, Map<String, Object> message) {
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final ChargingConfig config;
    private final LiveSockets sockets;
    private volatile Cancellable subscription;

    LiveUpdates(ReactiveRedisDataSource redis, ObjectMapper mapper, ChargingConfig config, LiveSockets sockets) {
        this.redis = redis;
        this.mapper = mapper;
        this.config = config;
        this.sockets = sockets;
    }

    void onStart(@Observes StartupEvent event) {
        subscription = redis.pubsub(String.class).subscribe(config.live().channel())
                .onFailure().invoke(f -> Log.warnf("Live update subscription lost (resubscribing): %s", f.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .subscribe().with(this::deliver, f -> Log.errorf(f, "Live update subscription ended"));
    }

    void onStop(@Observes ShutdownEvent event) {
        Cancellable s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** Publishes to every replica; a failure is logged and swallowed (live updates are best effort). */
    public Uni<Void> publish(Update update) {
        String json;
        try {
            json = mapper.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return redis.pubsub(String.class).publish(config.live().channel(), json)
                .onFailure().invoke(f -> Log.warnf("Live update not published: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    void deliver(String json) {
        try {
            sockets.deliver(mapper.readValue(json, Update.class));
        } catch (Exception e) {
            Log.warnf("Unreadable live update ignored: %s", e.toString());
        }
    }
}
