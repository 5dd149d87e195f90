package kg.evpower.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a command ended, as one value that can also travel between replicas: {@code status} is the HTTP status the caller
 * gets (200 answered; 409/502/503/504 per docs/contracts.md), {@code code} the problem code when not 200.
 */
public record CommandResult(int status, String code, String detail, String action, String messageId, JsonNode payload,
        String ocppErrorCode, String ocppErrorDescription) {

    public static CommandResult answered(String action, String messageId, JsonNode payload) {
        return new CommandResult(200, null, null, action, messageId, payload, null, null);
    }

    public static CommandResult failed(int status, String code, String detail) {
        return new CommandResult(status, code, detail, null, null, null, null, null);
    }

    public static CommandResult callError(String action, String messageId, String ocppErrorCode, String description) {
        return new CommandResult(502, "STATION_CALL_ERROR", "The station answered " + ocppErrorCode, action, messageId,
                null, ocppErrorCode, description);
    }
}
