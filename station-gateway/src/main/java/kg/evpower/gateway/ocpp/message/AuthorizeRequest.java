package kg.evpower.gateway.ocpp.message;

import com.fasterxml.jackson.databind.JsonNode;

public record AuthorizeRequest(String idTag) {

    public static AuthorizeRequest from(JsonNode p) {
        return new AuthorizeRequest(Json.text(p, "idTag"));
    }
}
