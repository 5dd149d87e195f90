package kg.evpower.gateway.config;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "evpower.gateway")
public interface GatewayConfig {

    Ocpp ocpp();

    Auth auth();

    Commands commands();

    Routing routing();

    Offline offline();

    Shutdown shutdown();

    Partitions partitions();

    interface Ocpp {
        /** Largest text frame accepted from a station, in UTF-8 bytes; larger ones are answered FormationViolation. */
        @WithDefault("65536")
        int maxFrameBytes();

        /** Heartbeat interval given to Accepted stations. */
        @WithDefault("300s")
        Duration heartbeatInterval();

        /** Retry interval given to Pending/Rejected stations. */
        @WithDefault("60s")
        Duration pendingInterval();

        /** A socket with no message for this long is closed (WebSocket pings keep it alive below this). */
        @WithDefault("15m")
        Duration idleTimeout();
    }

    interface Auth {
        /** security-service base URL (its internal API). */
        URI securityUrl();

        /** Successful credential checks are reused this long (dropped on any security event of the station). */
        @WithDefault("60s")
        Duration cacheTtl();

        /** Timeout of one call to security-service (time waiting for a pooled connection included). */
        @WithDefault("5s")
        Duration timeout();

        /** Accept the legacy {@code Authorization: Bearer <station key>} of the old platform's stations. */
        @WithDefault("false")
        boolean allowBearer();

        /**
         * TCP peers (exact IPs and CIDR ranges) whose {@code X-Forwarded-For} is believed when telling security-service
         * a station's source address (the nginx API gateway); {@code EVPOWER_TRUSTED_PROXIES}.
         */
        @WithDefault("127.0.0.1")
        java.util.List<String> trustedProxies();
    }

    interface Commands {
        /** How long a caller waits for the station's answer (queue wait included). */
        @WithDefault("30s")
        Duration timeout();

        /** Commands waiting per station behind the one in flight. */
        @WithDefault("16")
        int queueSize();
    }

    interface Routing {
        /** TTL of {@code gw:station:{id}}; refreshed by traffic and by a periodic sweep well within it. */
        @WithDefault("90s")
        Duration ttl();

        @WithDefault("30s")
        Duration refresh();
    }

    interface Offline {
        /** A station is offline once silent for heartbeat interval × factor + grace and its routing record is gone. */
        @WithDefault("2")
        int intervalFactor();

        @WithDefault("60s")
        Duration grace();

        /** How often offline detection runs (its schedule reads this property). */
        @WithDefault("2m")
        Duration every();
    }

    interface Shutdown {
        /**
         * On shutdown, how long station CALLs already being processed may take before every socket is closed with
         * 1001 anyway; the close bookkeeping (routing record, station row) gets as long again.
         */
        @WithDefault("5s")
        Duration drainTimeout();
    }

    interface Partitions {
        /**
         * Monthly partitions of meter_value and station_message are kept ready for the current month and this many
         * months after it (service/PartitionMaintenance).
         */
        @WithDefault("2")
        int monthsAhead();

        /** How often PartitionMaintenance runs (its schedule reads this property); the first run is at start-up. */
        @WithDefault("24h")
        Duration every();
    }
}
