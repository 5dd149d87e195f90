package kg.evpower.gateway.ocpp.message;

import java.time.format.DateTimeParseException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import kg.evpower.gateway.ocpp.frame.CallErrors;
import kg.evpower.gateway.ocpp.frame.OcppCallException;

/** The value types of the OCPP 1.6 JSON schemas, each checking one JSON value. Declared as data, checked without reflection. */
public sealed interface FieldType {

    /** Null when {@code value} fits, else the CALLERROR describing why not. */
    OcppCallException check(String path, JsonNode value);

    /** CiStringNN (case-insensitive string of at most {@code max} characters); {@code max} 0 means unbounded. */
    record Str(int max) implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            if (!value.isTextual()) {
                return CallErrors.type(path, "a string");
            }
            if (max > 0 && value.asText().length() > max) {
                return CallErrors.property(path, "is longer than " + max + " characters");
            }
            return null;
        }
    }

    record Int() implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            if (!value.isIntegralNumber() && !(value.isNumber() && value.asDouble() == Math.rint(value.asDouble()))) {
                return CallErrors.type(path, "an integer");
            }
            if (!value.canConvertToLong()) {
                return CallErrors.property(path, "is out of range");
            }
            return null;
        }
    }

    record Dec() implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            return value.isNumber() ? null : CallErrors.type(path, "a number");
        }
    }

    record Bool() implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            return value.isBoolean() ? null : CallErrors.type(path, "a boolean");
        }
    }

    /** An RFC 3339 date-time; stations that omit the offset are read as UTC (see {@link OcppTime}). */
    record DateTime() implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            if (!value.isTextual()) {
                return CallErrors.type(path, "a date-time string");
            }
            try {
                OcppTime.parse(value.asText());
                return null;
            } catch (DateTimeParseException e) {
                return CallErrors.property(path, "is not an RFC 3339 date-time");
            }
        }
    }

    record Enum(Set<String> values) implements FieldType {
        public static Enum of(String... values) {
            return new Enum(Set.of(values));
        }

        public OcppCallException check(String path, JsonNode value) {
            if (!value.isTextual()) {
                return CallErrors.type(path, "a string");
            }
            return values.contains(value.asText()) ? null
                    : CallErrors.property(path, "has a value outside its enumeration");
        }
    }

    record Obj(Schema schema) implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            if (!value.isObject()) {
                return CallErrors.type(path, "an object");
            }
            return schema.check(path + ".", value);
        }
    }

    record Arr(FieldType item, int minItems) implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            if (!value.isArray()) {
                return CallErrors.type(path, "an array");
            }
            if (value.size() < minItems) {
                return CallErrors.occurrence(path + "[0]");
            }
            for (int i = 0; i < value.size(); i++) {
                OcppCallException error = item.check(path + "[" + i + "]", value.get(i));
                if (error != null) {
                    return error;
                }
            }
            return null;
        }
    }

    /** Unconstrained value (e.g. DataTransfer data, which the schema leaves open). */
    record Any() implements FieldType {
        public OcppCallException check(String path, JsonNode value) {
            return null;
        }
    }
}
