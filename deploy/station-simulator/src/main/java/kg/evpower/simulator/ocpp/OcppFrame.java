package kg.evpower.simulator.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One OCPP-J message: CALL [2,id,action,payload], CALLRESULT [3,id,payload] or CALLERROR [4,id,code,description,details]. */
public sealed interface OcppFrame {
    String messageId();

    record Call(String messageId, String action, JsonNode payload) implements OcppFrame {}

    record CallResult(String messageId, JsonNode payload) implements OcppFrame {}

    record CallError(String messageId, String errorCode, String description, JsonNode details) implements OcppFrame {}

    static Call call(String messageId, String action, ObjectNode payload) {
        return new Call(messageId, action, payload);
    }
}
