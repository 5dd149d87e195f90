package kg.evpower.platform.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Outbox relay and stream consumer settings shared by every service. */
@ConfigMapping(prefix = "evpower.events")
public interface EventsConfig {

    /** The producing service's name, written as {@code source} in every envelope and used as its consumer group. */
    @WithDefault("${quarkus.application.name}")
    String source();

    Relay relay();

    Consumer consumer();

    interface Relay {
        /** Whether this instance publishes its outbox (every replica may; they coordinate through the database). */
        @WithDefault("true")
        boolean enabled();

        /** How often pending outbox rows are looked for when no write has nudged the relay. */
        @WithDefault("1s")
        Duration interval();

        /**
         * How long a commit's notification waits before the relay runs, so the commits of that moment are published in
         * one batch; 0 publishes at once (one run per commit under load).
         */
        @WithDefault("20ms")
        Duration linger();

        /** Rows published per database transaction. */
        @WithDefault("200")
        int batchSize();

        /** Approximate maximum length of each stream ({@code XADD ... MAXLEN ~}). */
        @WithDefault("100000")
        long streamMaxLength();

        /** Published outbox rows older than this are deleted. */
        @WithDefault("P3D")
        Duration retention();
    }

    interface Consumer {
        /** Whether this instance starts its stream consumers. */
        @WithDefault("true")
        boolean enabled();

        /** Entries read per {@code XREADGROUP}. */
        @WithDefault("50")
        int batchSize();

        /**
         * Entries of one read applied in one database transaction (1 or less: each in its own). A transaction that
         * fails is rolled back and its entries are applied again one by one, so a bad entry fails alone.
         */
        @WithDefault("20")
        int maxPerTransaction();

        /** How long one {@code XREADGROUP} blocks waiting for entries. */
        @WithDefault("2s")
        Duration block();

        /** An entry pending this long is taken over ({@code XAUTOCLAIM}) by any consumer of the group. */
        @WithDefault("30s")
        Duration claimMinIdle();

        /** How often each consumer looks for entries to take over. */
        @WithDefault("10s")
        Duration claimInterval();

        /** Deliveries after which a failing entry goes to the dead-letter stream. */
        @WithDefault("5")
        int maxDeliveries();

        /** Pause before reading again after Redis or the database failed. */
        @WithDefault("1s")
        Duration retryBackoff();

        /**
         * How long applied event ids are kept for deduplication. Longer than any redelivery can come: streams are
         * trimmed and pending entries are claimed within minutes.
         */
        @WithDefault("P7D")
        Duration dedupeRetention();

        /**
         * At shutdown, how long to wait for the entry being applied to finish (no new entry is started). What is not
         * finished by then stays pending, and another replica takes it over.
         */
        @WithDefault("10s")
        Duration drainTimeout();
    }
}
