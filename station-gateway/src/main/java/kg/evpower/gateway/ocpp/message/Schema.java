package kg.evpower.gateway.ocpp.message;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import kg.evpower.gateway.ocpp.frame.CallErrors;
import kg.evpower.gateway.ocpp.frame.OcppCallException;

/**
 * The rules of one JSON object of an OCPP 1.6 message, written as a table of fields: name, type, required. The schemas
 * forbid additional properties; a payload with one is answered FormationViolation (it does not follow the PDU).
 */
public final class Schema {

    public record Field(String name, FieldType type, boolean required) {
    }

    private final Map<String, Field> fields;

    private Schema(Map<String, Field> fields) {
        this.fields = fields;
    }

    public static Schema of(Field... fields) {
        Map<String, Field> map = new LinkedHashMap<>();
        for (Field field : fields) {
            map.put(field.name(), field);
        }
        return new Schema(Map.copyOf(map));
    }

    public static Field req(String name, FieldType type) {
        return new Field(name, type, true);
    }

    public static Field opt(String name, FieldType type) {
        return new Field(name, type, false);
    }

    /** Null when {@code payload} satisfies the schema, else the first violation found. */
    public OcppCallException check(String prefix, JsonNode payload) {
        if (!payload.isObject()) {
            return CallErrors.formation("Payload must be a JSON object");
        }
        for (Field field : fields.values()) {
            JsonNode value = payload.get(field.name());
            if (value == null || value.isNull()) {
                if (field.required()) {
                    return CallErrors.occurrence(prefix + field.name());
                }
                continue;
            }
            OcppCallException error = field.type().check(prefix + field.name(), value);
            if (error != null) {
                return error;
            }
        }
        Iterator<String> names = payload.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!fields.containsKey(name)) {
                return CallErrors.formation("Unexpected field " + prefix + truncate(name));
            }
        }
        return null;
    }

    public OcppCallException check(JsonNode payload) {
        return check("", payload);
    }

    private static String truncate(String name) {
        return name.length() <= 50 ? name : name.substring(0, 50) + "...";
    }
}
