package kg.evpower.simulator.station;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A CALL the station wants to send. The payload is built when it is sent, so that a MeterValues or StopTransaction
 * queued before the StartTransaction answer still carries the transaction id. Transaction messages survive a
 * disconnect and are retried; the others are dropped and their failure callback runs.
 */
final class OutgoingCall {
    final String action;
    final Supplier<ObjectNode> payload;
    final boolean transactional;
    final boolean allowedBeforeAccepted;
    Consumer<JsonNode> onResult = result -> {
    };
    Consumer<String> onFailure = reason -> {
    };
    int attempts;
    String messageId;
    long sentNanos;

    OutgoingCall(String action, Supplier<ObjectNode> payload, boolean transactional, boolean allowedBeforeAccepted) {
        this.action = action;
        this.payload = payload;
        this.transactional = transactional;
        this.allowedBeforeAccepted = allowedBeforeAccepted;
    }

    OutgoingCall onResult(Consumer<JsonNode> handler) {
        this.onResult = handler;
        return this;
    }

    OutgoingCall onFailure(Consumer<String> handler) {
        this.onFailure = handler;
        return this;
    }
}
