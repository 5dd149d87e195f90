package kg.evpower.gateway.ocpp.frame;

import com.fasterxml.jackson.databind.JsonNode;

/** One OCPP-J message: {@code [2, id, action, payload]}, {@code [3, id, payload]} or {@code [4, id, code, description, details]}. */
public sealed interface OcppFrame {

    int CALL = 2;
    int CALL_RESULT = 3;
    int CALL_ERROR = 4;

    String messageId();

    record Call(String messageId, String action, JsonNode payload) implements OcppFrame {
    }

    record CallResult(String messageId, JsonNode payload) implements OcppFrame {
    }

    record CallError(String messageId, String errorCode, String errorDescription, JsonNode errorDetails)
            implements OcppFrame {
    }
}
