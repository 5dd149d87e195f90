package kg.evpower.payment.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Som at the mobile edge, tyiyn (long) inside: exact conversions, never double. */
public final class Money {

    private Money() {
    }

    /** Tyiyn of a som amount with at most two decimals; throws {@link ArithmeticException} for more. */
    public static long toTyiyn(BigDecimal som) {
        return som.setScale(2, RoundingMode.UNNECESSARY).movePointRight(2).longValueExact();
    }

    public static BigDecimal toSom(long tyiyn) {
        return BigDecimal.valueOf(tyiyn, 2);
    }
}
