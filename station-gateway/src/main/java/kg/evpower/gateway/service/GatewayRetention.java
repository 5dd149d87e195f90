package kg.evpower.gateway.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.retention.TableRetention;

/**
 * The gateway's retention rules, run by the platform's RetentionJob. Keeps are overridden by
 * {@code evpower.retention.<rule>.keep} (e.g. {@code evpower.retention.meter_value.keep=365d}).
 */
@ApplicationScoped
public class GatewayRetention {

    /** Meter values: monthly partitions, kept 180 days. */
    @Produces
    @ApplicationScoped
    RetentionRule meterValues() {
        return PartitionedRetention.of("meter_value", Duration.ofDays(180));
    }

    /** Station messages without a table of their own: monthly partitions, kept 90 days. */
    @Produces
    @ApplicationScoped
    RetentionRule stationMessages() {
        return PartitionedRetention.of("station_message", Duration.ofDays(90));
    }

    /** Commands sent to stations and their outcomes, kept 90 days after they completed. */
    @Produces
    @ApplicationScoped
    RetentionRule stationCommands() {
        return TableRetention.of("station_command", "completed_at", Duration.ofDays(90));
    }
}
