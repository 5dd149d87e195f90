package kg.evpower.gateway.ocpp.message;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

public record StopTransactionRequest(String idTag, long meterStop, Instant timestamp, long transactionId, String reason,
        List<MeterValue> transactionData) {

    public static StopTransactionRequest from(JsonNode p) {
        return new StopTransactionRequest(Json.text(p, "idTag"), Json.longValue(p, "meterStop"),
                Json.time(p, "timestamp"), Json.longValue(p, "transactionId"), Json.text(p, "reason"),
                MeterValue.listFrom(p.get("transactionData")));
    }
}
