package kg.evpower.gateway.ocpp.message;

import com.fasterxml.jackson.databind.JsonNode;

public record DiagnosticsStatusNotificationRequest(String status) {

    public static DiagnosticsStatusNotificationRequest from(JsonNode p) {
        return new DiagnosticsStatusNotificationRequest(Json.text(p, "status"));
    }
}
