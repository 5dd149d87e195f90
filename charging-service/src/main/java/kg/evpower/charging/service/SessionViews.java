package kg.evpower.charging.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.domain.Money;
import kg.evpower.charging.domain.Pricing;

/** The app's JSON shapes (A3.1) built from a session: snake_case, som and kWh as exact decimals. */
public final class SessionViews {

    private SessionViews() {
    }

    public static Map<String, Object> pricing(Pricing p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate_per_kwh", Money.som(p.ratePerKwh()));
        m.put("rate_per_minute", Money.som(p.ratePerMinute()));
        m.put("session_fee", Money.som(p.sessionFee()));
        m.put("parking_fee_per_minute", Money.som(p.parkingFeePerMinute()));
        m.put("currency", "KGS");
        m.put("active_rule", p.activeRule());
        m.put("rule_details", p.ruleDetails());
        m.put("time_based", p.timeBased());
        m.put("next_rate_change", p.nextRateChange());
        m.put("tariff_plan_id", p.tariffPlanId());
        m.put("rule_id", p.ruleId());
        return m;
    }

    public static Map<String, Object> started(ChargingSession s, Pricing p, long estimatedCost, Long newBalance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("session_id", s.id.toString());
        m.put("station_id", s.stationId);
        m.put("client_id", s.clientId);
        m.put("connector_id", s.connectorId);
        m.put("energy_kwh", "energy".equals(s.limitType) ? Money.kwh(s.limitValue) : null);
        m.put("amount_som", "amount".equals(s.limitType) ? Money.som(s.limitValue) : null);
        m.put("limit_type", s.limitType);
        m.put("pricing", pricing(p));
        m.put("estimated_cost", Money.som(estimatedCost));
        m.put("reserved_amount", Money.som(s.reservedAmount));
        m.put("new_balance", Money.som(newBalance));
        m.put("message", "Charging is starting; connect the cable if it is not connected yet");
        m.put("station_online", true);
        return m;
    }

    public static Map<String, Object> stop(ChargingSession s, Long newBalance, boolean stationOnline, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean settled = ChargingSession.STOPPED.equals(s.status);
        long cost = settled && s.finalCost != null ? s.finalCost : s.currentCost;
        m.put("success", true);
        m.put("session_id", s.id.toString());
        m.put("station_id", s.stationId);
        m.put("client_id", s.clientId);
        m.put("connector_id", s.connectorId);
        m.put("status", s.appStatus());
        m.put("settled", settled);
        m.put("start_time", s.transactionStartedAt != null ? s.transactionStartedAt : s.createdAt);
        m.put("stop_time", s.stoppedAt);
        m.put("energy_consumed", Money.kwh(s.energyWh));
        m.put("rate_per_kwh", Money.som(s.ratePerKwh));
        m.put("reserved_amount", Money.som(s.reservedAmount));
        m.put("actual_cost", Money.som(cost));
        m.put("refund_amount", Money.som(settled && s.released != null ? s.released
                : Math.max(0, s.reservedAmount - cost)));
        m.put("new_balance", Money.som(newBalance));
        m.put("message", message);
        m.put("station_online", stationOnline);
        return m;
    }

    public static Map<String, Object> status(ChargingSession s, boolean stationOnline, Instant now, Duration grace) {
        Map<String, Object> m = new LinkedHashMap<>();
        long cost = s.finalCost != null ? s.finalCost
                : s.isOpen() && s.transactionStartedAt != null ? Math.max(s.currentCost, costNow(s, now, grace))
                : s.currentCost;
        Instant end = s.stoppedAt != null ? s.stoppedAt : now;
        long seconds = s.transactionStartedAt == null ? 0 : Math.max(0, Duration.between(s.transactionStartedAt, end)
                .getSeconds());
        int progress = progress(s, cost);
        m.put("id", s.id.toString());
        m.put("session_id", s.id.toString());
        m.put("status", s.appStatus());
        m.put("state", s.status.toLowerCase());
        m.put("station_id", s.stationId);
        m.put("connector_id", s.connectorId);
        m.put("ocpp_transaction_id", s.transactionId);
        m.put("origin", s.origin);
        m.put("payment_status", s.paymentStatus == null ? null : s.paymentStatus.toLowerCase());
        m.put("energy_consumed", Money.kwh(s.energyWh));
        m.put("energy_kwh", Money.kwh(s.energyWh));
        m.put("current_cost", Money.som(cost));
        m.put("current_amount", Money.som(cost));
        m.put("power_kw", s.powerW == null ? null : Money.kwh(s.powerW));
        m.put("reserved_amount", Money.som(s.reservedAmount));
        m.put("rate_per_kwh", Money.som(s.ratePerKwh));
        m.put("rate_per_minute", Money.som(s.ratePerMinute));
        m.put("session_fee", Money.som(s.sessionFee));
        m.put("charging_duration_minutes", seconds / 60);
        m.put("duration_seconds", seconds);
        m.put("limit_type", s.limitType);
        m.put("limit_value", "energy".equals(s.limitType) ? Money.kwh(s.limitValue)
                : "amount".equals(s.limitType) ? Money.som(s.limitValue) : null);
        m.put("limit_reached", s.limitReached || ("none".equals(s.limitType) ? false : progress >= 100));
        m.put("limit_percentage", progress);
        m.put("progress_percent", progress);
        m.put("meter_start", s.meterStartWh);
        m.put("meter_current", s.meterLastWh);
        m.put("ev_battery_soc", s.socPercent);
        m.put("station_online", stationOnline);
        m.put("start_time", s.transactionStartedAt != null ? s.transactionStartedAt : s.createdAt);
        m.put("stop_time", s.stoppedAt);
        m.put("final_cost", Money.som(s.finalCost));
        m.put("failure_reason", s.failureCode);
        return m;
    }

    static long costNow(ChargingSession s, Instant now, Duration grace) {
        return kg.evpower.charging.domain.SessionCost.of(s, now, grace);
    }

    /** Progress towards the limit in % (energy: energy/limit; amount: cost/limit; unlimited: cost/hold), capped at 100. */
    public static int progress(ChargingSession s, long cost) {
        long part;
        long whole;
        switch (s.limitType) {
            case "energy" -> {
                part = s.energyWh;
                whole = s.limitValue;
            }
            case "amount" -> {
                part = cost;
                whole = s.limitValue;
            }
            default -> {
                part = cost;
                whole = s.reservedAmount;
            }
        }
        if (whole <= 0) {
            return 0;
        }
        return (int) Math.min(100, part * 100 / whole);
    }
}
