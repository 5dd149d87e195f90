package kg.evpower.charging.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "evpower.charging")
public interface ChargingConfig {

    Streams streams();

    Pricing pricing();

    Reserve reserve();

    Limits limits();

    Jobs jobs();

    Live live();

    RateLimit rateLimit();

    /** Mobile app versions per platform (issue 10, "App support"). */
    App app();

    interface Streams {
        @WithDefault("evpower.gateway.v1")
        String gateway();

        @WithDefault("evpower.payment.v1")
        String payment();

        @WithDefault("evpower.charging.v1")
        String charging();
    }

    interface Pricing {
        /** The one default rate (tyiyn per kWh) when no plan prices energy (A8.9: one default, not three). */
        @WithDefault("1350")
        long defaultRatePerKwh();

        /** Parking fees start this long after energy stopped flowing. */
        @WithDefault("10m")
        Duration parkingGrace();
    }

    interface Reserve {
        /** Hold for an unlimited session, before the session fee (tyiyn; A6.2: 200 som). */
        @WithDefault("20000")
        long unlimited();

        /** Smallest hold an unlimited session may start with (tyiyn; A6.2: 10 som). */
        @WithDefault("1000")
        long minimum();

        /** Minutes of per-minute fees included in an estimate (A6.2: 60). */
        @WithDefault("60")
        int estimateMinutes();
    }

    interface Limits {
        /** RemoteStop when delivered energy reaches this share of an energy limit. */
        @WithDefault("95")
        int energyPercent();

        /** RemoteStop when the running cost reaches this share of an amount limit. */
        @WithDefault("95")
        int amountPercent();

        /** RemoteStop of an unlimited session when the running cost reaches this share of the hold. */
        @WithDefault("90")
        int holdPercent();
    }

    interface Jobs {
        @WithDefault("true")
        boolean enabled();

        /** How often the hanging-session job runs (read by the scheduler expression too). */
        @WithDefault("30m")
        Duration interval();

        /** Sessions charging longer than this are stopped. */
        @WithDefault("12h")
        Duration maxSessionAge();

        /** Sessions whose station has not started a transaction within this are cancelled. */
        @WithDefault("10m")
        Duration startTimeout();

        /** Sessions claimed per job run. */
        @WithDefault("50")
        int batchSize();

        /**
         * Stored idempotent answers are kept this long: the default keep of the retention rule {@code idempotency_key}
         * (service/ChargingRetention); {@code evpower.retention.idempotency_key.keep} overrides it.
         */
        @WithDefault("7d")
        Duration idempotencyRetention();
    }

    interface Live {
        /** Redis pub/sub channel every replica publishes live updates to and subscribes to. */
        @WithDefault("evpower.charging.live")
        String channel();

        /** Concurrent app sockets of one client on this replica (A2: 10); more are closed with 1013. */
        @WithDefault("10")
        int maxSocketsPerClient();
    }

    interface RateLimit {
        /** Start/stop requests per authenticated client per minute (RATE_LIMIT_CRITICAL_PER_MINUTE). */
        @WithDefault("10")
        int criticalPerMinute();

        /** How long the limiter waits for Redis before refusing (fail closed). */
        @WithDefault("1s")
        Duration timeout();
    }

    interface App {
        Platform ios();

        Platform android();

        interface Platform {
            @WithDefault("1.0.0")
            String latestVersion();

            @WithDefault("1.0.0")
            String minSupportedVersion();

            String storeUrl();
        }
    }
}
