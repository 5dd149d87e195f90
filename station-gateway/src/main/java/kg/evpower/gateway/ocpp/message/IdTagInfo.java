package kg.evpower.gateway.ocpp.message;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The idTagInfo of Authorize, StartTransaction and StopTransaction answers. */
public record IdTagInfo(String status, Instant expiryDate, String parentIdTag) {

    public static IdTagInfo invalid() {
        return new IdTagInfo("Invalid", null, null);
    }

    public boolean accepted() {
        return "Accepted".equals(status);
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("status", status);
        if (expiryDate != null) {
            node.put("expiryDate", OcppTime.format(expiryDate));
        }
        if (parentIdTag != null) {
            node.put("parentIdTag", parentIdTag);
        }
        return node;
    }
}
