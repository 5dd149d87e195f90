package kg.evpower.charging.domain;

import java.time.Duration;
import java.time.Instant;

/** Cost of a session from its pricing snapshot: energy × rate + session fee + charging minutes + parking minutes. */
public final class SessionCost {

    private SessionCost() {
    }

    /**
     * @param energyWh delivered energy
     * @param started when the station's transaction started (null: no time fees)
     * @param lastEnergyAt when energy last increased (parking starts after it plus {@code parkingGrace})
     * @param end when the transaction stopped (or now, for a running estimate)
     */
    public static long of(long energyWh, long ratePerKwh, long ratePerMinute, long sessionFee, long parkingFeePerMinute,
            Instant started, Instant lastEnergyAt, Instant end, Duration parkingGrace) {
        long cost = Money.energyCost(energyWh, ratePerKwh) + sessionFee;
        if (started != null && end != null && end.isAfter(started)) {
            cost += startedMinutes(Duration.between(started, end)) * ratePerMinute;
            if (parkingFeePerMinute > 0) {
                Instant parkingFrom = (lastEnergyAt != null ? lastEnergyAt : started).plus(parkingGrace);
                if (end.isAfter(parkingFrom)) {
                    cost += Duration.between(parkingFrom, end).toMinutes() * parkingFeePerMinute;
                }
            }
        }
        return cost;
    }

    public static long of(ChargingSession s, Instant end, Duration parkingGrace) {
        return of(s.energyWh, s.ratePerKwh, s.ratePerMinute, s.sessionFee, s.parkingFeePerMinute,
                s.transactionStartedAt, s.lastEnergyAt, end, parkingGrace);
    }

    /** Minutes begun: 61 s count as 2 minutes. */
    public static long startedMinutes(Duration d) {
        long seconds = d.getSeconds();
        return seconds <= 0 ? 0 : (seconds + 59) / 60;
    }
}
