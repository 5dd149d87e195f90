package kg.evpower.gateway.ocpp.frame;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads and writes OCPP-J frames (OCPP-J 1.6 section 4). Stateless and thread-safe. */
@ApplicationScoped
public class FrameCodec {

    /** Message ids are at most 36 characters (OCPP-J 1.6, 4.1.3). */
    public static final int MAX_MESSAGE_ID = 36;

    private static final Pattern LEADING_ID = Pattern.compile("^\\s*\\[\\s*[234]\\s*,\\s*\"([^\"\\\\]{1,36})\"");

    private final ObjectMapper mapper;

    public FrameCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Parses one text frame; throws {@link FrameException} carrying the CALLERROR to answer (when an id was readable). */
    public OcppFrame decode(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new FrameException(leadingMessageId(text), CallErrors.formation("Message is not valid JSON"));
        }
        if (root == null || !root.isArray() || root.size() < 3) {
            throw new FrameException(null, CallErrors.formation("Message is not an OCPP-J array"));
        }
        JsonNode type = root.get(0);
        JsonNode id = root.get(1);
        String messageId = id.isTextual() && !id.asText().isEmpty() && id.asText().length() <= MAX_MESSAGE_ID
                ? id.asText() : null;
        if (messageId == null) {
            throw new FrameException(null, CallErrors.formation("Message id must be a string of 1 to 36 characters"));
        }
        if (!type.isInt()) {
            throw new FrameException(messageId, CallErrors.formation("Message type must be 2, 3 or 4"));
        }
        return switch (type.intValue()) {
            case OcppFrame.CALL -> {
                if (root.size() != 4 || !root.get(2).isTextual()) {
                    throw new FrameException(messageId, CallErrors.formation("CALL must be [2, id, action, payload]"));
                }
                if (!root.get(3).isObject()) {
                    throw new FrameException(messageId, CallErrors.formation("CALL payload must be a JSON object"));
                }
                yield new OcppFrame.Call(messageId, root.get(2).asText(), root.get(3));
            }
            case OcppFrame.CALL_RESULT -> {
                if (root.size() != 3) {
                    throw new FrameException(null, CallErrors.formation("CALLRESULT must be [3, id, payload]"));
                }
                yield new OcppFrame.CallResult(messageId, root.get(2));
            }
            case OcppFrame.CALL_ERROR -> {
                if (root.size() < 4 || !root.get(2).isTextual()) {
                    throw new FrameException(null, CallErrors.formation("CALLERROR must be [4, id, code, description, details]"));
                }
                yield new OcppFrame.CallError(messageId, root.get(2).asText(), root.get(3).asText(""),
                        root.size() > 4 ? root.get(4) : null);
            }
            default -> throw new FrameException(messageId, CallErrors.formation("Message type must be 2, 3 or 4"));
        };
    }

    public String encode(OcppFrame frame) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        switch (frame) {
            case OcppFrame.Call call -> array.add(OcppFrame.CALL).add(call.messageId()).add(call.action())
                    .add(call.payload() == null ? JsonNodeFactory.instance.objectNode() : call.payload());
            case OcppFrame.CallResult result -> array.add(OcppFrame.CALL_RESULT).add(result.messageId())
                    .add(result.payload() == null ? JsonNodeFactory.instance.objectNode() : result.payload());
            case OcppFrame.CallError error -> {
                ObjectNode details = error.errorDetails() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
                array.add(OcppFrame.CALL_ERROR).add(error.messageId()).add(error.errorCode())
                        .add(error.errorDescription() == null ? "" : error.errorDescription()).add(details);
            }
        }
        try {
            return mapper.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frame cannot be written", e);
        }
    }

    /** The message id at the start of a frame too large or too broken to parse, so the CALLERROR can still name it. */
    public static String leadingMessageId(String text) {
        if (text == null) {
            return null;
        }
        String head = text.length() > 80 ? text.substring(0, 80) : text;
        Matcher matcher = LEADING_ID.matcher(head);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Size of a text frame in UTF-8 bytes, counted without allocating for ASCII-only text. */
    public static int utf8Length(String text) {
        int length = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }
}
