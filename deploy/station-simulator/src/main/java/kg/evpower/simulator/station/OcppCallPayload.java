package kg.evpower.simulator.station;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kg.evpower.simulator.ocpp.FrameCodec;

/** A fluent builder for a JSON payload object. */
final class OcppCallPayload {
    private final ObjectNode node = FrameCodec.object();

    static OcppCallPayload of() {
        return new OcppCallPayload();
    }

    OcppCallPayload put(String field, String value) {
        node.put(field, value);
        return this;
    }

    OcppCallPayload put(String field, long value) {
        node.put(field, value);
        return this;
    }

    OcppCallPayload put(String field, boolean value) {
        node.put(field, value);
        return this;
    }

    ObjectNode node() {
        return node;
    }
}
