package kg.evpower.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import kg.evpower.charging.domain.ClientTariff;
import kg.evpower.charging.domain.Money;
import kg.evpower.charging.domain.Pricing;
import kg.evpower.charging.domain.SessionCost;
import kg.evpower.charging.domain.TariffEngine;
import kg.evpower.charging.domain.TariffRule;

/** Tariff maths in Asia/Bishkek (UTC+6): windows across midnight, weekdays, priority, client tariffs, money. */
class TariffEngineTest {

    private static final TariffEngine.Target TYPE2_22 = new TariffEngine.Target("Type2", 22);
    private static long ids = 1;

    static TariffRule rule(String type, long price, int priority) {
        TariffRule r = new TariffRule();
        r.id = ids++;
        r.name = type + "-" + price;
        r.tariffType = type;
        r.price = price;
        r.priority = priority;
        r.createdAt = Instant.parse("2026-01-01T00:00:00Z");
        return r;
    }

    static TariffRule window(long price, String from, String to, String days) {
        TariffRule r = rule(TariffEngine.PER_KWH, price, 10);
        r.timeStart = LocalTime.parse(from);
        r.timeEnd = LocalTime.parse(to);
        r.daysOfWeek = days;
        return r;
    }

    /** An instant given as Bishkek local time. */
    static Instant bishkek(String local) {
        return LocalDateTime.parse(local).atZone(TariffEngine.BISHKEK).toInstant();
    }

    static long perKwh(List<TariffRule> rules, Instant at) {
        return TariffEngine.price(at, TYPE2_22, null, List.of(), 1L, rules, List.of(), 1350).ratePerKwh();
    }

    @Test
    void nightWindowIsEvaluatedInBishkekNotUtc() {
        List<TariffRule> rules = List.of(rule(TariffEngine.PER_KWH, 1500, 0), window(900, "23:00", "07:00", null));
        // 2026-03-10 is a Tuesday. 23:30 Bishkek = 17:30 UTC: night rate although UTC says afternoon
        assertEquals(900, perKwh(rules, bishkek("2026-03-10T23:30")));
        assertEquals(900, perKwh(rules, bishkek("2026-03-11T00:00")));
        assertEquals(900, perKwh(rules, bishkek("2026-03-11T06:59")));
        assertEquals(1500, perKwh(rules, bishkek("2026-03-11T07:00")));
        assertEquals(1500, perKwh(rules, bishkek("2026-03-10T22:59")));
        // 01:00 UTC is 07:00 in Bishkek: day rate (a UTC evaluation would say night)
        assertEquals(1500, perKwh(rules, Instant.parse("2026-03-11T01:00:00Z")));
    }

    @Test
    void weekdayOfAWindowCrossingMidnightIsTheDayItStarted() {
        // Friday night only (5 = Friday), 22:00-06:00
        List<TariffRule> rules = List.of(rule(TariffEngine.PER_KWH, 1500, 0), window(800, "22:00", "06:00", "5"));
        // 2026-03-13 is a Friday
        assertEquals(800, perKwh(rules, bishkek("2026-03-13T22:30")));
        assertEquals(800, perKwh(rules, bishkek("2026-03-14T03:00"))); // Saturday early morning: still Friday's night
        assertEquals(1500, perKwh(rules, bishkek("2026-03-14T22:30"))); // Saturday night: not Friday
        assertEquals(1500, perKwh(rules, bishkek("2026-03-13T03:00"))); // Friday early morning belongs to Thursday
    }

    @Test
    void weekendFlagAndDaysOfWeek() {
        TariffRule weekend = rule(TariffEngine.PER_KWH, 1100, 5);
        weekend.isWeekend = true;
        List<TariffRule> rules = List.of(rule(TariffEngine.PER_KWH, 1500, 0), weekend);
        assertEquals(1100, perKwh(rules, bishkek("2026-03-14T12:00"))); // Saturday
        assertEquals(1100, perKwh(rules, bishkek("2026-03-15T23:59"))); // Sunday
        assertEquals(1500, perKwh(rules, bishkek("2026-03-16T00:00"))); // Monday in Bishkek (Sunday 18:00 UTC)
    }

    @Test
    void priorityThenNewestWinsAndEachRuleFillsOneComponent() {
        TariffRule low = rule(TariffEngine.PER_KWH, 1500, 1);
        TariffRule high = rule(TariffEngine.PER_KWH, 1200, 9);
        TariffRule sameOlder = rule(TariffEngine.PER_KWH, 1300, 9);
        sameOlder.createdAt = Instant.parse("2025-01-01T00:00:00Z");
        TariffRule inactive = rule(TariffEngine.PER_KWH, 100, 99);
        inactive.isActive = false;
        TariffRule otherConnector = rule(TariffEngine.PER_KWH, 200, 50);
        otherConnector.connectorType = "CCS";
        TariffRule expired = rule(TariffEngine.PER_KWH, 300, 60);
        expired.validUntil = Instant.parse("2026-01-01T00:00:00Z");
        TariffRule fee = rule(TariffEngine.SESSION_FEE, 500, 0);
        TariffRule minute = rule(TariffEngine.PER_MINUTE, 20, 0);
        TariffRule parking = rule(TariffEngine.PARKING_FEE, 50, 0);
        Pricing p = TariffEngine.price(bishkek("2026-03-10T12:00"), TYPE2_22, null, List.of(), 7L,
                List.of(low, high, sameOlder, inactive, otherConnector, expired, fee, minute, parking), List.of(), 1350);
        assertEquals(1200, p.ratePerKwh());
        assertEquals(500, p.sessionFee());
        assertEquals(20, p.ratePerMinute());
        assertEquals(50, p.parkingFeePerMinute());
        assertEquals(7L, p.tariffPlanId());
        assertEquals(high.id, p.ruleId());
    }

    @Test
    void defaultsAndClientTariffs() {
        Instant now = bishkek("2026-03-10T12:00");
        // nothing anywhere: the single configured default
        assertEquals(1350, TariffEngine.price(now, TYPE2_22, null, List.of(), null, List.of(), List.of(), 1350).ratePerKwh());
        // the default plan fills what the station plan lacks
        assertEquals(1000, TariffEngine.price(now, TYPE2_22, null, List.of(), 1L, List.of(),
                List.of(rule(TariffEngine.PER_KWH, 1000, 0)), 1350).ratePerKwh());
        // client fixed rate beats everything
        ClientTariff fixed = new ClientTariff();
        fixed.fixedRatePerKwh = 700L;
        assertEquals(700, TariffEngine.price(now, TYPE2_22, fixed, List.of(), 1L,
                List.of(rule(TariffEngine.PER_KWH, 1500, 0)), List.of(), 1350).ratePerKwh());
        // client plan with a 10 % discount on per-kWh and per-minute, not on the session fee
        ClientTariff plan = new ClientTariff();
        plan.tariffPlanId = 5L;
        plan.discountPercent = 10;
        Pricing p = TariffEngine.price(now, TYPE2_22, plan, List.of(rule(TariffEngine.PER_KWH, 1200, 0),
                rule(TariffEngine.PER_MINUTE, 15, 0), rule(TariffEngine.SESSION_FEE, 500, 0)), 1L,
                List.of(rule(TariffEngine.PER_KWH, 1500, 0)), List.of(), 1350);
        assertEquals(1080, p.ratePerKwh());
        assertEquals(14, p.ratePerMinute()); // 13.5 rounded half up
        assertEquals(500, p.sessionFee());
        assertEquals(5L, p.tariffPlanId());
    }

    @Test
    void costAddsEnergySessionFeeTimeAndParking() {
        Instant start = Instant.parse("2026-03-10T10:00:00Z");
        // 12.345 kWh × 12.00 = 148.14; fee 5.00; 61 s → 2 started minutes × 0.20; no parking
        assertEquals(14814 + 500 + 40, SessionCost.of(12_345, 1200, 20, 500, 0, start, start, start.plusSeconds(61),
                Duration.ofMinutes(10)));
        // energy stopped at +30 min, plugged until +55 min: 15 min parking (after 10 min grace) × 1.00
        assertEquals(1500, SessionCost.of(0, 1200, 0, 0, 100, start, start.plusSeconds(1800), start.plusSeconds(3300),
                Duration.ofMinutes(10)));
    }

    @Test
    void moneyIsExact() {
        assertEquals(new BigDecimal("13.50"), Money.som(1350));
        assertEquals(1001, Money.tyiyn(new BigDecimal("10.01")));
        assertEquals(12_346, Money.wh(new BigDecimal("12.3456")));
        assertEquals(new BigDecimal("1.234"), Money.kwh(1234));
        assertEquals(2, Money.energyCost(1, 1500)); // 1.5 tyiyn rounds half up
        try {
            Money.tyiyn(new BigDecimal("0.001"));
            throw new AssertionError("three decimals accepted");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("two decimals"));
        }
        assertFalse(TariffEngine.parseDays("1, 7").contains(3));
    }
}
