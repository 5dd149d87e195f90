package kg.evpower.simulator.ocpp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Parses and writes OCPP-J frames. Thread-safe. */
public final class FrameCodec {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FrameCodec() {
    }

    /** Thrown for text that is not a well-formed OCPP-J frame; {@code messageId} is set when it could be read. */
    public static final class MalformedFrameException extends Exception {
        private final String messageId;

        MalformedFrameException(String message, String messageId) {
            super(message, null, false, false);
            this.messageId = messageId;
        }

        public String messageId() {
            return messageId;
        }
    }

    public static OcppFrame parse(String text) throws MalformedFrameException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedFrameException("not JSON", null);
        }
        if (root == null || !root.isArray() || root.size() < 3) {
            throw new MalformedFrameException("not an OCPP-J array", null);
        }
        JsonNode type = root.get(0);
        JsonNode id = root.get(1);
        if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 36) {
            throw new MalformedFrameException("message id is not a string of 1..36 characters", null);
        }
        String messageId = id.asText();
        if (!type.isInt()) {
            throw new MalformedFrameException("message type is not a number", messageId);
        }
        switch (type.asInt()) {
            case 2 -> {
                if (root.size() != 4 || !root.get(2).isTextual() || !root.get(3).isObject()) {
                    throw new MalformedFrameException("CALL must be [2, id, action, {payload}]", messageId);
                }
                return new OcppFrame.Call(messageId, root.get(2).asText(), root.get(3));
            }
            case 3 -> {
                if (root.size() != 3 || !root.get(2).isObject()) {
                    throw new MalformedFrameException("CALLRESULT must be [3, id, {payload}]", messageId);
                }
                return new OcppFrame.CallResult(messageId, root.get(2));
            }
            case 4 -> {
                if (root.size() != 5 || !root.get(2).isTextual() || !root.get(3).isTextual() || !root.get(4).isObject()) {
                    throw new MalformedFrameException("CALLERROR must be [4, id, code, description, {details}]", messageId);
                }
                return new OcppFrame.CallError(messageId, root.get(2).asText(), root.get(3).asText(), root.get(4));
            }
            default -> throw new MalformedFrameException("unknown message type " + type.asInt(), messageId);
        }
    }

    public static String write(OcppFrame frame) {
        ArrayNode array = NODES.arrayNode();
        switch (frame) {
            case OcppFrame.Call call -> array.add(2).add(call.messageId()).add(call.action()).add(call.payload());
            case OcppFrame.CallResult result -> array.add(3).add(result.messageId()).add(result.payload());
            case OcppFrame.CallError error -> array.add(4).add(error.messageId()).add(error.errorCode())
                    .add(error.description()).add(error.details() == null ? NODES.objectNode() : error.details());
        }
        try {
            return MAPPER.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    public static OcppFrame.CallError error(String messageId, CallErrorCode code, String description) {
        return new OcppFrame.CallError(messageId, code.name(), description == null ? "" : description, NODES.objectNode());
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }
}
