package kg.evpower.gateway.ocpp.message;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

public record MeterValuesRequest(int connectorId, Long transactionId, List<MeterValue> meterValue) {

    public static MeterValuesRequest from(JsonNode p) {
        return new MeterValuesRequest(Json.integer(p, "connectorId"), Json.longValue(p, "transactionId"),
                MeterValue.listFrom(p.get("meterValue")));
    }
}
