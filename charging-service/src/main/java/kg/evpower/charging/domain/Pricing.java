package kg.evpower.charging.domain;

import java.time.Instant;
import java.util.Map;

/**
 * The prices in force for one session, frozen at start (the snapshot the stop is billed with). Tyiyn per kWh, per minute
 * of charging, per session, and per minute of parking (connected but no longer drawing energy, after a grace period).
 */
public record Pricing(
        long ratePerKwh,
        long ratePerMinute,
        long sessionFee,
        long parkingFeePerMinute,
        Long tariffPlanId,
        Long ruleId,
        String activeRule,
        Map<String, Object> ruleDetails,
        boolean timeBased,
        Instant nextRateChange) {
}
