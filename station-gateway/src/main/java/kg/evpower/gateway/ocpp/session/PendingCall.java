package kg.evpower.gateway.ocpp.session;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import kg.evpower.gateway.ocpp.frame.OcppFrame;

/** A CALL from the central system to a station, queued or in flight, completed by the station's answer. */
public final class PendingCall {

    final String messageId;
    final String action;
    final JsonNode payload;
    final String correlationId;
    final Instant requestedAt = Instant.now();
    final CompletableFuture<OcppFrame> answer = new CompletableFuture<>();
    long timer = -1;

    PendingCall(String messageId, String action, JsonNode payload, String correlationId) {
        this.messageId = messageId;
        this.action = action;
        this.payload = payload;
        this.correlationId = correlationId;
    }

    public String messageId() {
        return messageId;
    }

    public String action() {
        return action;
    }

    public JsonNode payload() {
        return payload;
    }

    public String correlationId() {
        return correlationId;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    /** Completes with the station's CALLRESULT or CALLERROR; fails with {@link CallFailure}. */
    public CompletableFuture<OcppFrame> answer() {
        return answer;
    }
}
