package kg.evpower.gateway.ocpp.message;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

public record StatusNotificationRequest(int connectorId, String errorCode, String info, String status,
        Instant timestamp, String vendorId, String vendorErrorCode) {

    public static StatusNotificationRequest from(JsonNode p) {
        return new StatusNotificationRequest(Json.integer(p, "connectorId"), Json.text(p, "errorCode"),
                Json.text(p, "info"), Json.text(p, "status"), Json.time(p, "timestamp"), Json.text(p, "vendorId"),
                Json.text(p, "vendorErrorCode"));
    }
}
