package kg.evpower.gateway.ocpp.message;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

public record SecurityEventNotificationRequest(String type, Instant timestamp, String techInfo) {

    public static SecurityEventNotificationRequest from(JsonNode p) {
        return new SecurityEventNotificationRequest(Json.text(p, "type"), Json.time(p, "timestamp"),
                Json.text(p, "techInfo"));
    }
}
