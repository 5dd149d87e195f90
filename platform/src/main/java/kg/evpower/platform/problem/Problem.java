package kg.evpower.platform.problem;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}) with the house extensions {@code code} (a stable
 * machine code such as {@code INSUFFICIENT_BALANCE}), {@code correlationId} and {@code errors} (field errors).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        String correlationId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: where it is ({@code field}, a dotted path) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    /** The stable type URI of a machine code: one per code, never changing. */
    public static String typeOf(String code) {
        return "urn:problem:evpower:" + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
