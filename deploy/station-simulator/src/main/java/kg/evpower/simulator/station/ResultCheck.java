package kg.evpower.simulator.station;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The required fields of each CALLRESULT a station receives (OCPP 1.6 JSON schemas); a missing one is a violation. */
final class ResultCheck {
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "BootNotification", List.of("status", "currentTime", "interval"),
            "Heartbeat", List.of("currentTime"),
            "Authorize", List.of("idTagInfo/status"),
            "StartTransaction", List.of("transactionId", "idTagInfo/status"),
            "DataTransfer", List.of("status"));

    private ResultCheck() {
    }

    /** Returns the first required field missing from the answer, or null. */
    static String missingField(String action, JsonNode payload) {
        for (String path : REQUIRED.getOrDefault(action, List.of())) {
            JsonNode node = payload;
            for (String part : path.split("/")) {
                node = node == null ? null : node.get(part);
            }
            if (node == null || node.isNull()) {
                return path;
            }
        }
        return null;
    }
}
