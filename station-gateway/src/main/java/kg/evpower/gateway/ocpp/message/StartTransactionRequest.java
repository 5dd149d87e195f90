package kg.evpower.gateway.ocpp.message;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

public record StartTransactionRequest(int connectorId, String idTag, long meterStart, Integer reservationId,
        Instant timestamp) {

    public static StartTransactionRequest from(JsonNode p) {
        return new StartTransactionRequest(Json.integer(p, "connectorId"), Json.text(p, "idTag"),
                Json.longValue(p, "meterStart"), Json.integer(p, "reservationId"), Json.time(p, "timestamp"));
    }
}
