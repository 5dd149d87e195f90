package kg.evpower.charging.client;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** A read answer of an internal API: status, the problem {@code code} if any, and the JSON body. */
public record Answer(int status, String code, JsonNode body) {

    static Answer of(Response response, ObjectMapper mapper, String service) {
        try {
            String text = response.hasEntity() ? response.readEntity(String.class) : null;
            JsonNode body = text == null || text.isBlank() ? NullNode.getInstance() : mapper.readTree(text);
            String code = body.hasNonNull("code") ? body.get("code").asText() : null;
            return new Answer(response.getStatus(), code, body);
        } catch (Exception e) {
            throw new UpstreamException(service, "unreadable answer (HTTP " + response.getStatus() + ")");
        } finally {
            response.close();
        }
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String text(String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    public long number(String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? 0 : node.asLong();
    }
}
