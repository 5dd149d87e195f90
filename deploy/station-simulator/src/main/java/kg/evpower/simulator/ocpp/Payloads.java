package kg.evpower.simulator.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Field readers for incoming payloads that turn a rule violation into the matching CALLERROR. */
public final class Payloads {
    private Payloads() {
    }

    public static JsonNode required(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            throw new OcppCallException(CallErrorCode.OccurenceConstraintViolation, "missing required field " + field);
        }
        return value;
    }

    public static int requiredInt(JsonNode payload, String field) {
        return toInt(required(payload, field), field);
    }

    public static Integer optionalInt(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : toInt(value, field);
    }

    private static int toInt(JsonNode value, String field) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new OcppCallException(CallErrorCode.TypeConstraintViolation, field + " must be an integer");
        }
        return value.asInt();
    }

    public static String requiredString(JsonNode payload, String field, int maxLength) {
        return toText(required(payload, field), field, maxLength);
    }

    public static String optionalString(JsonNode payload, String field, int maxLength) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : toText(value, field, maxLength);
    }

    private static String toText(JsonNode value, String field, int maxLength) {
        if (!value.isTextual()) {
            throw new OcppCallException(CallErrorCode.TypeConstraintViolation, field + " must be a string");
        }
        if (value.asText().length() > maxLength) {
            throw new OcppCallException(CallErrorCode.PropertyConstraintViolation, field + " is longer than " + maxLength);
        }
        return value.asText();
    }

    public static String requiredEnum(JsonNode payload, String field, Set<String> allowed) {
        String text = requiredString(payload, field, 64);
        return checkEnum(text, field, allowed);
    }

    public static String optionalEnum(JsonNode payload, String field, Set<String> allowed) {
        String text = optionalString(payload, field, 64);
        return text == null ? null : checkEnum(text, field, allowed);
    }

    private static String checkEnum(String text, String field, Set<String> allowed) {
        if (!allowed.contains(text)) {
            throw new OcppCallException(CallErrorCode.PropertyConstraintViolation, field + " has no value " + text);
        }
        return text;
    }

    public static Instant requiredDateTime(JsonNode payload, String field) {
        String text = requiredString(payload, field, 64);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new OcppCallException(CallErrorCode.TypeConstraintViolation, field + " is not a date-time");
        }
    }

    public static Instant optionalDateTime(JsonNode payload, String field) {
        return payload.hasNonNull(field) ? requiredDateTime(payload, field) : null;
    }

    public static JsonNode requiredObject(JsonNode payload, String field) {
        JsonNode value = required(payload, field);
        if (!value.isObject()) {
            throw new OcppCallException(CallErrorCode.TypeConstraintViolation, field + " must be an object");
        }
        return value;
    }
}
