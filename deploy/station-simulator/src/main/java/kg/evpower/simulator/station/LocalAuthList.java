package kg.evpower.simulator.station;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** The local authorization list (SendLocalList / GetLocalListVersion). */
final class LocalAuthList {
    private int version;
    private final Map<String, String> statuses = new HashMap<>();

    int version() {
        return version;
    }

    String status(String idTag) {
        return statuses.get(idTag);
    }

    int size() {
        return statuses.size();
    }

    /** Applies a SendLocalList request that has passed field validation; returns the UpdateStatus. */
    String apply(int listVersion, String updateType, JsonNode list, int maxLength) {
        int entries = list == null ? 0 : list.size();
        if (entries > maxLength) {
            return "Failed";
        }
        if ("Differential".equals(updateType) && listVersion <= version) {
            return "VersionMismatch";
        }
        Map<String, String> next = "Full".equals(updateType) ? new HashMap<>() : new HashMap<>(statuses);
        if (list != null) {
            for (JsonNode entry : list) {
                String idTag = entry.path("idTag").asText(null);
                if (idTag == null) {
                    return "Failed";
                }
                JsonNode info = entry.get("idTagInfo");
                if (info == null || info.isNull()) {
                    next.remove(idTag);
                } else {
                    next.put(idTag, info.path("status").asText("Accepted"));
                }
            }
        }
        if (next.size() > maxLength) {
            return "Failed";
        }
        statuses.clear();
        statuses.putAll(next);
        version = listVersion;
        return "Accepted";
    }
}
