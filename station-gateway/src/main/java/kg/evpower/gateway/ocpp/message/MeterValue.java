package kg.evpower.gateway.ocpp.message;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One MeterValue: a timestamp and its sampled values, with the readings the platform uses normalised to Wh, W and %. */
public record MeterValue(Instant timestamp, List<SampledValue> sampledValue, JsonNode raw) {

    /** The value as the station sent it, as JSON text: what {@code meter_value.samples} keeps. */
    public String rawJson() {
        return raw.toString();
    }

    public record SampledValue(String value, String context, String format, String measurand, String phase,
            String location, String unit) {

        /** The measurand, defaulting as the 1.6 spec says. */
        public String measurandOrDefault() {
            return measurand == null ? "Energy.Active.Import.Register" : measurand;
        }

        /** The numeric value, or null when it is signed data or not a number. */
        public BigDecimal number() {
            if ("SignedData".equals(format) || value == null) {
                return null;
            }
            try {
                return new BigDecimal(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    static List<MeterValue> listFrom(JsonNode array) {
        List<MeterValue> values = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return values;
        }
        for (JsonNode node : array) {
            List<SampledValue> samples = new ArrayList<>();
            for (JsonNode s : node.get("sampledValue")) {
                samples.add(new SampledValue(Json.text(s, "value"), Json.text(s, "context"), Json.text(s, "format"),
                        Json.text(s, "measurand"), Json.text(s, "phase"), Json.text(s, "location"), Json.text(s, "unit")));
            }
            values.add(new MeterValue(Json.time(node, "timestamp"), samples, node.get("sampledValue")));
        }
        return values;
    }

    /** Energy.Active.Import.Register in Wh (kWh scaled); the phase-less reading, else the sum of L1..L3 readings. */
    public Long energyRegisterWh() {
        BigDecimal total = null;
        BigDecimal phases = null;
        for (SampledValue s : sampledValue) {
            if (!"Energy.Active.Import.Register".equals(s.measurandOrDefault()) || s.number() == null) {
                continue;
            }
            BigDecimal wh = "kWh".equals(s.unit()) ? s.number().multiply(BigDecimal.valueOf(1000)) : s.number();
            if (s.phase() == null) {
                total = wh;
                break;
            }
            if (s.phase().equals("L1") || s.phase().equals("L2") || s.phase().equals("L3")) {
                phases = phases == null ? wh : phases.add(wh);
            }
        }
        BigDecimal value = total != null ? total : phases;
        return value == null ? null : value.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Power.Active.Import in W (kW scaled); the phase-less reading, else the sum over L1..L3. */
    public Long powerW() {
        BigDecimal total = null;
        BigDecimal phases = null;
        for (SampledValue s : sampledValue) {
            if (!"Power.Active.Import".equals(s.measurandOrDefault()) || s.number() == null) {
                continue;
            }
            BigDecimal w = "kW".equals(s.unit()) ? s.number().multiply(BigDecimal.valueOf(1000)) : s.number();
            if (s.phase() == null) {
                total = w;
                break;
            }
            if (s.phase().startsWith("L1") || s.phase().startsWith("L2") || s.phase().startsWith("L3")) {
                phases = phases == null ? w : phases.add(w);
            }
        }
        BigDecimal value = total != null ? total : phases;
        return value == null ? null : value.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** State of charge in percent, rounded. */
    public Integer socPercent() {
        for (SampledValue s : sampledValue) {
            if ("SoC".equals(s.measurandOrDefault()) && s.number() != null) {
                return s.number().setScale(0, RoundingMode.HALF_UP).intValue();
            }
        }
        return null;
    }
}
