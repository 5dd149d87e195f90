package kg.evpower.payment.domain;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Card data on its way to OBANK: only ever in memory for one request, never stored or logged. {@link #toString()} is
 * masked so an accidental log line cannot leak it. Validation messages never repeat the values.
 */
public record Card(String pan, String holder, String month, String year, String cvv, String email) {

    private static final Pattern PAN = Pattern.compile("\\d{12,19}");
    private static final Pattern HOLDER = Pattern.compile("[A-Z][A-Z ]{0,99}");
    private static final Pattern CVV = Pattern.compile("\\d{3,4}");
    private static final Pattern MONTH = Pattern.compile("0[1-9]|1[0-2]");
    private static final Pattern YEAR = Pattern.compile("\\d{2}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[A-Za-z]{2,24}");

    /** Checks every field; the exception names the field, never its value. */
    public static Card of(String pan, String holder, String month, String year, String cvv, String email) {
        if (pan == null || !PAN.matcher(pan).matches() || !luhn(pan)) {
            throw new IllegalArgumentException("card_pan must be 12-19 digits with a valid check digit.");
        }
        if (holder == null || !HOLDER.matcher(holder).matches()) {
            throw new IllegalArgumentException("card_name must be 1-100 upper-case Latin letters and spaces.");
        }
        if (month == null || !MONTH.matcher(month).matches()) {
            throw new IllegalArgumentException("card_month must be 01-12.");
        }
        if (year == null || !YEAR.matcher(year).matches()) {
            throw new IllegalArgumentException("card_year must be two digits (YY).");
        }
        YearMonth expiry = YearMonth.of(2000 + Integer.parseInt(year), Integer.parseInt(month));
        if (expiry.isBefore(YearMonth.now(ZoneOffset.UTC))) {
            throw new IllegalArgumentException("The card has expired.");
        }
        if (cvv == null || !CVV.matcher(cvv).matches()) {
            throw new IllegalArgumentException("card_cvv must be 3 or 4 digits.");
        }
        if (email != null && (email.length() > 320 || !EMAIL.matcher(email).matches())) {
            throw new IllegalArgumentException("email is not a valid address.");
        }
        return new Card(pan, holder, month, year, cvv, email);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** At most the first 6 and the last 4 digits; the rest as '*'. */
    public static String maskPan(String pan) {
        if (pan == null || pan.length() < 12) {
            return "****";
        }
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    @Override
    public String toString() {
        return "Card[" + maskPan(pan) + "]";
    }
}
