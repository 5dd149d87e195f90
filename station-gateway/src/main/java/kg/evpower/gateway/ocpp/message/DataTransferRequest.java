package kg.evpower.gateway.ocpp.message;

import com.fasterxml.jackson.databind.JsonNode;

public record DataTransferRequest(String vendorId, String messageId, JsonNode data) {

    public static DataTransferRequest from(JsonNode p) {
        return new DataTransferRequest(Json.text(p, "vendorId"), Json.text(p, "messageId"), p.get("data"));
    }
}
