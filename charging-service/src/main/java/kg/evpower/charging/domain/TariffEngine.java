package kg.evpower.charging.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Picks the prices in force at an instant (A6.3, with the A8.9 fixes): time windows and weekdays in Asia/Bishkek, one
 * rule per component chosen by priority then newest, client tariffs first, one configured default rate.
 */
public final class TariffEngine {

    public static final ZoneId BISHKEK = ZoneId.of("Asia/Bishkek");
    public static final String PER_KWH = "per_kwh";
    public static final String PER_MINUTE = "per_minute";
    public static final String SESSION_FEE = "session_fee";
    public static final String PARKING_FEE = "parking_fee";
    public static final Set<String> TYPES = Set.of(PER_KWH, PER_MINUTE, SESSION_FEE, PARKING_FEE);

    private static final Comparator<TariffRule> BEST = Comparator
            .comparingInt((TariffRule r) -> r.priority).reversed()
            .thenComparing((TariffRule r) -> r.createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing((TariffRule r) -> r.id, Comparator.nullsLast(Comparator.reverseOrder()));

    private TariffEngine() {
    }

    /** What the price is computed for. */
    public record Target(String connectorType, int powerKw) {
    }

    /**
     * @param clientTariff the client's active tariff or null
     * @param clientPlanRules rules of the client tariff's plan (empty when none)
     * @param stationPlanRules rules of the station's plan
     * @param defaultPlanRules rules of the default plan (fills components the station's plan lacks)
     */
    public static Pricing price(Instant at, Target target, ClientTariff clientTariff, List<TariffRule> clientPlanRules,
            Long stationPlanId, List<TariffRule> stationPlanRules, List<TariffRule> defaultPlanRules, long defaultRatePerKwh) {
        List<TariffRule> primary = stationPlanRules;
        Long planId = stationPlanId;
        int discount = 0;
        if (clientTariff != null && clientTariff.fixedRatePerKwh == null && clientTariff.tariffPlanId != null) {
            primary = clientPlanRules;
            planId = clientTariff.tariffPlanId;
            discount = clientTariff.discountPercent;
        } else if (clientTariff != null) {
            discount = clientTariff.discountPercent;
        }
        Map<String, TariffRule> chosen = new LinkedHashMap<>();
        for (String type : List.of(PER_KWH, PER_MINUTE, SESSION_FEE, PARKING_FEE)) {
            best(primary, type, at, target).or(() -> best(defaultPlanRules, type, at, target))
                    .ifPresent(rule -> chosen.put(type, rule));
        }
        TariffRule kwhRule = chosen.get(PER_KWH);
        long perKwh;
        String activeRule;
        if (clientTariff != null && clientTariff.fixedRatePerKwh != null) {
            perKwh = clientTariff.fixedRatePerKwh;
            activeRule = "client_fixed_rate";
        } else if (kwhRule != null) {
            perKwh = Money.discounted(kwhRule.price, discount);
            activeRule = kwhRule.name;
        } else {
            perKwh = Money.discounted(defaultRatePerKwh, discount);
            activeRule = "default";
        }
        long perMinute = chosen.containsKey(PER_MINUTE) ? Money.discounted(chosen.get(PER_MINUTE).price, discount) : 0;
        long sessionFee = chosen.containsKey(SESSION_FEE) ? chosen.get(SESSION_FEE).price : 0;
        long parking = chosen.containsKey(PARKING_FEE) ? chosen.get(PARKING_FEE).price : 0;
        Map<String, Object> details = new LinkedHashMap<>();
        chosen.forEach((type, rule) -> details.put(type, Map.of("rule_id", rule.id == null ? 0 : rule.id,
                "name", rule.name, "priority", rule.priority)));
        if (discount > 0) {
            details.put("discount_percent", discount);
        }
        List<TariffRule> all = new java.util.ArrayList<>(primary);
        all.addAll(defaultPlanRules);
        boolean timeBased = all.stream().anyMatch(r -> r.timeStart != null || r.timeEnd != null || r.daysOfWeek != null
                || r.isWeekend);
        return new Pricing(perKwh, perMinute, sessionFee, parking, planId, kwhRule == null ? null : kwhRule.id,
                activeRule, details, timeBased, timeBased ? nextChange(all, at) : null);
    }

    public static Optional<TariffRule> best(List<TariffRule> rules, String type, Instant at, Target target) {
        return rules.stream().filter(r -> type.equals(r.tariffType)).filter(r -> applies(r, at, target)).min(BEST);
    }

    public static boolean applies(TariffRule rule, Instant at, Target target) {
        if (!rule.isActive) {
            return false;
        }
        if (rule.validFrom != null && at.isBefore(rule.validFrom)) {
            return false;
        }
        if (rule.validUntil != null && !at.isBefore(rule.validUntil)) {
            return false;
        }
        if (target != null) {
            if (!"ALL".equalsIgnoreCase(rule.connectorType) && target.connectorType() != null
                    && !rule.connectorType.equalsIgnoreCase(target.connectorType())) {
                return false;
            }
            if (target.powerKw() < rule.powerMinKw || target.powerKw() > rule.powerMaxKw) {
                return false;
            }
        }
        LocalDateTime local = LocalDateTime.ofInstant(at, BISHKEK);
        LocalTime time = local.toLocalTime();
        LocalDate day = local.toLocalDate();
        if (rule.timeStart != null && rule.timeEnd != null && !rule.timeStart.equals(rule.timeEnd)) {
            if (rule.timeStart.isBefore(rule.timeEnd)) {
                if (time.isBefore(rule.timeStart) || !time.isBefore(rule.timeEnd)) {
                    return false;
                }
            } else if (!time.isBefore(rule.timeEnd)) {
                if (time.isBefore(rule.timeStart)) {
                    return false;
                }
            } else {
                // after midnight inside a window that began the evening before: that evening's weekday counts
                day = day.minusDays(1);
            }
        }
        return dayMatches(rule, day.getDayOfWeek());
    }

    static boolean dayMatches(TariffRule rule, DayOfWeek dow) {
        Set<Integer> days = parseDays(rule.daysOfWeek);
        boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
        if (days.isEmpty()) {
            return !rule.isWeekend || weekend;
        }
        return days.contains(dow.getValue()) || (rule.isWeekend && weekend);
    }

    public static Set<Integer> parseDays(String days) {
        if (days == null || days.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(days.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The next instant within two days at which a time window of one of {@code rules} opens or closes. */
    static Instant nextChange(List<TariffRule> rules, Instant at) {
        ZonedDateTime now = at.atZone(BISHKEK);
        Instant next = null;
        for (TariffRule rule : rules) {
            for (LocalTime boundary : new LocalTime[] {rule.timeStart, rule.timeEnd}) {
                if (boundary == null) {
                    continue;
                }
                for (int d = 0; d <= 1; d++) {
                    Instant candidate = now.toLocalDate().plusDays(d).atTime(boundary).atZone(BISHKEK).toInstant();
                    if (candidate.isAfter(at) && (next == null || candidate.isBefore(next))) {
                        next = candidate;
                    }
                }
            }
            if (rule.daysOfWeek != null || rule.isWeekend) {
                Instant midnight = now.toLocalDate().plusDays(1).atStartOfDay(BISHKEK).toInstant();
                if (next == null || midnight.isBefore(next)) {
                    next = midnight;
                }
            }
        }
        return next;
    }
}
