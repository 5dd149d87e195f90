package kg.evpower.gateway.ocpp.message;

import com.fasterxml.jackson.databind.JsonNode;

public record FirmwareStatusNotificationRequest(String status) {

    public static FirmwareStatusNotificationRequest from(JsonNode p) {
        return new FirmwareStatusNotificationRequest(Json.text(p, "status"));
    }
}
