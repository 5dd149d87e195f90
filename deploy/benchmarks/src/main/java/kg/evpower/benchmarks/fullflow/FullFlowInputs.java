package kg.evpower.benchmarks.fullflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Command-line options and the inputs shared by {@link FullFlowLoad} and {@link FullFlowSetup}. */
final class FullFlowInputs {

    static final ObjectMapper JSON = new ObjectMapper();

    private FullFlowInputs() {
    }

    /** One app client: its id (the token's {@code sub}) and its bearer token. */
    record AppClient(String id, String token) {
        @Override
        public String toString() {
            return "AppClient[" + id + "]"; // never the token
        }
    }

    /** A station's connector. */
    record Connector(String stationId, int connectorId) {
    }

    /** {@code --name value} pairs and bare {@code --flag}s. */
    static Map<String, String> options(String[] args, List<String> flags) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + name);
            }
            if (flags.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
        }
        return values;
    }

    /**
     * Reads a file of app clients, one a line: {@code clientId token} or just the token (the client id is then the
     * token's {@code sub}). Blank lines and lines starting with # are skipped.
     */
    static List<AppClient> clients(Path file) throws IOException {
        List<AppClient> clients = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            clients.add(parts.length >= 2 ? new AppClient(parts[0], parts[1]) : new AppClient(subject(parts[0]), parts[0]));
        }
        return clients;
    }

    /** The {@code sub} claim of a JWT (not verified: these are our own tokens). */
    static String subject(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a token line is not a JWT");
        }
        try {
            String sub = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText("");
            if (sub.isEmpty()) {
                throw new IllegalArgumentException("a token has no sub claim");
            }
            return sub;
        } catch (IOException e) {
            throw new IllegalArgumentException("a token's payload is not JSON", e);
        }
    }

    /**
     * Connectors from a comma-separated list: {@code ID} (connectors 1..perStation) or {@code ID:N} (that connector).
     * A value starting with @ names a file holding the list (commas or new lines).
     */
    static List<Connector> connectors(String spec, int perStation) throws IOException {
        String text = spec.startsWith("@") ? Files.readString(Path.of(spec.substring(1))) : spec;
        List<Connector> connectors = new ArrayList<>();
        for (String item : text.split("[,\\s]+")) {
            if (item.isBlank()) {
                continue;
            }
            int colon = item.indexOf(':');
            if (colon > 0) {
                connectors.add(new Connector(item.substring(0, colon), Integer.parseInt(item.substring(colon + 1))));
            } else {
                for (int c = 1; c <= perStation; c++) {
                    connectors.add(new Connector(item, c));
                }
            }
        }
        return connectors;
    }

    /** The distinct station ids of a list of connectors, in order. */
    static List<String> stationIds(List<Connector> connectors) {
        return connectors.stream().map(Connector::stationId).distinct().toList();
    }
}
