package kg.evpower.charging.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Tyiyn (long) inside, som (BigDecimal, scale 2) at the app edge; Wh inside, kWh at the edge. Never double. */
public final class Money {

    private Money() {
    }

    public static BigDecimal som(long tyiyn) {
        return BigDecimal.valueOf(tyiyn, 2);
    }

    public static BigDecimal som(Long tyiyn) {
        return tyiyn == null ? null : som(tyiyn.longValue());
    }

    /** Exact som → tyiyn; more than two decimals is refused. */
    public static long tyiyn(BigDecimal som) {
        try {
            return som.setScale(2, RoundingMode.UNNECESSARY).movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("an amount in som has at most two decimals");
        }
    }

    public static BigDecimal kwh(long wh) {
        return BigDecimal.valueOf(wh, 3);
    }

    /** kWh → Wh, rounded half up to whole Wh. */
    public static long wh(BigDecimal kwh) {
        return kwh.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Price of {@code wh} at {@code tyiynPerKwh}, rounded half up to the tyiyn. */
    public static long energyCost(long wh, long tyiynPerKwh) {
        return BigDecimal.valueOf(wh).multiply(BigDecimal.valueOf(tyiynPerKwh))
                .divide(BigDecimal.valueOf(1000), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code price} less {@code percent} %, rounded half up. */
    public static long discounted(long price, int percent) {
        return BigDecimal.valueOf(price).multiply(BigDecimal.valueOf(100 - percent))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
