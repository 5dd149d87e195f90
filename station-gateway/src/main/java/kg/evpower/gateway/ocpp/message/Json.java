package kg.evpower.gateway.ocpp.message;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads fields of an already validated payload. */
final class Json {

    private Json() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asInt();
    }

    static Long longValue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }

    static Instant time(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : OcppTime.parse(value);
    }
}
