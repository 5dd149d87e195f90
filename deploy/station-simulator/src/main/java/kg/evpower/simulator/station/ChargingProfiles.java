package kg.evpower.simulator.station;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import kg.evpower.simulator.ocpp.CallErrorCode;
import kg.evpower.simulator.ocpp.OcppCallException;
import kg.evpower.simulator.ocpp.Payloads;

/** Installed charging profiles (Smart Charging profile) and the power limit they impose on a connector. */
final class ChargingProfiles {
    static final double VOLTS = 230.0;
    static final Set<String> PURPOSES = Set.of("ChargePointMaxProfile", "TxDefaultProfile", "TxProfile");
    static final Set<String> KINDS = Set.of("Absolute", "Recurring", "Relative");
    static final Set<String> UNITS = Set.of("A", "W");

    record Period(int startPeriod, double limit, int phases) {
    }

    record Profile(int connectorId, int id, Integer transactionId, int stackLevel, String purpose, String kind,
                   String unit, List<Period> periods, Integer durationSeconds, Instant startSchedule, Instant installed) {
        double limitWatts(Instant now, Instant txStart) {
            Instant origin = startSchedule != null ? startSchedule : "Relative".equals(kind) && txStart != null ? txStart : installed;
            long elapsed = Duration.between(origin, now).toSeconds();
            if (elapsed < 0 || (durationSeconds != null && elapsed >= durationSeconds)) {
                return Double.POSITIVE_INFINITY;
            }
            Period current = null;
            for (Period period : periods) {
                if (period.startPeriod() <= elapsed) {
                    current = period;
                }
            }
            if (current == null) {
                return Double.POSITIVE_INFINITY;
            }
            return "A".equals(unit) ? current.limit() * VOLTS * current.phases() : current.limit();
        }
    }

    private final List<Profile> profiles = new ArrayList<>();

    /** Parses csChargingProfiles; field rule violations become CALLERRORs. */
    static Profile parse(int connectorId, JsonNode node, Instant now) {
        int id = Payloads.requiredInt(node, "chargingProfileId");
        Integer transactionId = Payloads.optionalInt(node, "transactionId");
        int stackLevel = Payloads.requiredInt(node, "stackLevel");
        String purpose = Payloads.requiredEnum(node, "chargingProfilePurpose", PURPOSES);
        String kind = Payloads.requiredEnum(node, "chargingProfileKind", KINDS);
        JsonNode schedule = Payloads.requiredObject(node, "chargingSchedule");
        String unit = Payloads.requiredEnum(schedule, "chargingRateUnit", UNITS);
        Integer duration = Payloads.optionalInt(schedule, "duration");
        Instant start = Payloads.optionalDateTime(schedule, "startSchedule");
        JsonNode periodsNode = Payloads.required(schedule, "chargingSchedulePeriod");
        if (!periodsNode.isArray() || periodsNode.isEmpty()) {
            throw new OcppCallException(CallErrorCode.OccurenceConstraintViolation, "chargingSchedulePeriod needs at least one period");
        }
        List<Period> periods = new ArrayList<>();
        for (JsonNode p : periodsNode) {
            int startPeriod = Payloads.requiredInt(p, "startPeriod");
            JsonNode limit = Payloads.required(p, "limit");
            if (!limit.isNumber()) {
                throw new OcppCallException(CallErrorCode.TypeConstraintViolation, "limit must be a number");
            }
            Integer phases = Payloads.optionalInt(p, "numberPhases");
            periods.add(new Period(startPeriod, limit.asDouble(), phases == null ? 3 : phases));
        }
        periods.sort(Comparator.comparingInt(Period::startPeriod));
        return new Profile(connectorId, id, transactionId, stackLevel, purpose, kind, unit, List.copyOf(periods),
                duration, start, now);
    }

    /** Installs a profile, replacing one with the same id or the same stack level and purpose on the connector. */
    void install(Profile profile) {
        profiles.removeIf(p -> p.id() == profile.id()
                || (p.connectorId() == profile.connectorId() && p.stackLevel() == profile.stackLevel()
                && p.purpose().equals(profile.purpose())));
        profiles.add(profile);
    }

    int size() {
        return profiles.size();
    }

    /** ClearChargingProfile: every criterion given must match; true when something was removed. */
    boolean clear(Integer id, Integer connectorId, String purpose, Integer stackLevel) {
        return profiles.removeIf(p -> (id == null || p.id() == id)
                && (connectorId == null || p.connectorId() == connectorId)
                && (purpose == null || p.purpose().equals(purpose))
                && (stackLevel == null || p.stackLevel() == stackLevel));
    }

    void removeTxProfiles(int connectorId) {
        profiles.removeIf(p -> p.connectorId() == connectorId && "TxProfile".equals(p.purpose()));
    }

    /**
     * Limit in watts for a connector now: the highest stack level TxProfile (during a transaction) or else
     * TxDefaultProfile (connector's own before connector 0's), capped by the ChargePointMaxProfile.
     */
    double limitWatts(int connectorId, Instant now, Instant txStart) {
        double limit = Double.POSITIVE_INFINITY;
        if (txStart != null) {
            limit = top(connectorId, "TxProfile", now, txStart);
        }
        if (Double.isInfinite(limit)) {
            limit = top(connectorId, "TxDefaultProfile", now, txStart);
        }
        if (Double.isInfinite(limit)) {
            limit = top(0, "TxDefaultProfile", now, txStart);
        }
        return Math.min(limit, top(0, "ChargePointMaxProfile", now, txStart));
    }

    private double top(int connectorId, String purpose, Instant now, Instant txStart) {
        return profiles.stream()
                .filter(p -> p.connectorId() == connectorId && p.purpose().equals(purpose))
                .max(Comparator.comparingInt(Profile::stackLevel))
                .map(p -> p.limitWatts(now, txStart))
                .orElse(Double.POSITIVE_INFINITY);
    }
}
