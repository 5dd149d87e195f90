package kg.evpower.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole platform started by the README's run command (deploy/run-local.sh) in a fresh local directory, and small
 * HTTP helpers to talk to it as the app, the station, the provider and the operator would.
 */
final class Platform implements AutoCloseable {

    static final String GATEWAY = "http://127.0.0.1:8080";
    static final String SECURITY = "http://127.0.0.1:8084";
    static final String CHARGING = "http://127.0.0.1:8082";
    static final String PAYMENT = "http://127.0.0.1:8083";
    static final String STATIONS = "http://127.0.0.1:8081";
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    record Answer(int status, JsonNode body, String raw) {
        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    final Path local;
    final Path output;
    final Process run;
    final Map<String, String> env = new HashMap<>();

    private Platform(Path local, Path output, Process run) {
        this.local = local;
        this.output = output;
        this.run = run;
    }

    private static Platform shared;

    /**
     * The platform shared by the end-to-end classes of this run: started on first use, stopped when the test JVM
     * exits (failsafe runs the classes in alphabetical order, so LocalRunIT, which needs the ports free, runs first).
     */
    static synchronized Platform shared() throws Exception {
        if (shared == null) {
            shared = start();
            Platform started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception e) {
                    started.run.descendants().forEach(ProcessHandle::destroyForcibly);
                }
            }));
        }
        return shared;
    }

    static Platform start() throws Exception {
        for (int port : new int[] {8080, 8081, 8082, 8083, 8084}) {
            if (Processes.listening(port)) {
                throw new IllegalStateException("port " + port + " is taken: another EvPower run (or something else) is "
                        + "listening; the end-to-end tests need 8080-8084 free");
            }
        }
        Path local = Files.createTempDirectory("evpower-e2e");
        Path output = local.resolve("run-local.out");
        ProcessBuilder builder = new ProcessBuilder("bash", Processes.root().resolve("deploy/run-local.sh").toString(),
                "--no-build").redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("EVPOWER_LOCAL_DIR", local.toString());
        builder.environment().put("EVPOWER_STATIONS", "0");
        Processes.freshDatabases("_e2e");
        builder.environment().put("EVPOWER_DB_SUFFIX", "_e2e");
        Platform platform = new Platform(local, output, builder.start());
        boolean up = Processes.waitFor(Duration.ofMinutes(4),
                () -> !platform.run.isAlive() || Processes.read(output).contains("EvPower is running"));
        if (!up || !platform.run.isAlive()) {
            String out = Processes.read(output);
            platform.close();
            throw new IllegalStateException("the platform did not start:\n" + out + platform.logs());
        }
        for (String line : Files.readAllLines(local.resolve(".env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                platform.env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return platform;
    }

    boolean hasApiGateway() {
        return Processes.read(output).contains("API gateway       http://127.0.0.1:8080");
    }

    /** A token of the development identity provider, minted by deploy/mint-token.sh. */
    String token(String subject, boolean admin) throws Exception {
        ProcessBuilder builder = admin
                ? new ProcessBuilder("bash", Processes.root().resolve("deploy/mint-token.sh").toString(), "--admin", subject)
                : new ProcessBuilder("bash", Processes.root().resolve("deploy/mint-token.sh").toString(), subject);
        builder.environment().put("EVPOWER_LOCAL_DIR", local.toString());
        Process mint = builder.redirectErrorStream(true).start();
        String token = new String(mint.getInputStream().readAllBytes()).trim();
        if (!mint.waitFor(20, TimeUnit.SECONDS) || mint.exitValue() != 0) {
            throw new IllegalStateException("mint-token failed: " + token);
        }
        return token;
    }

    /** A service token obtained from security-service with charging-service's client credentials. */
    String serviceToken() throws Exception {
        Answer answer = call("POST", SECURITY + "/auth/service-token", Map.of(), JSON.createObjectNode()
                .put("client_id", "charging-service").put("client_secret", env.get("CHARGING_SERVICE_SECRET")).toString());
        if (answer.status() != 200) {
            throw new IllegalStateException("no service token: " + answer);
        }
        return answer.body().path("access_token").asText();
    }

    static Answer call(String method, String url, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> response = Processes.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.nullNode();
        }
        return new Answer(response.statusCode(), json, response.body());
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("security-service", "station-gateway", "payment-service", "charging-service", "nginx")) {
            String log = Processes.read(local.resolve("logs").resolve(name + ".log"));
            all.append("\n--- ").append(name).append(" (last 2500 chars)\n")
                    .append(log.substring(Math.max(0, log.length() - 2500)));
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        run.destroy();
        if (!run.waitFor(90, TimeUnit.SECONDS)) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }
}
