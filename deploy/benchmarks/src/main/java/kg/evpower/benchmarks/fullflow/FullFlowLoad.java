package kg.evpower.benchmarks.fullflow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

import kg.evpower.benchmarks.fullflow.FullFlowInputs.AppClient;
import kg.evpower.benchmarks.fullflow.FullFlowInputs.Connector;

/**
 * Issue 9 item 3: the mobile app's start and stop through charging-service, with simulated stations answering. Opens
 * sessions at a fixed rate (open loop), each on a free connector with a client of its own, stops each after the session
 * length, and prints a JSON summary with the latency of POST /api/v1/charging/start and /stop.
 *
 * <pre>java -cp deploy/benchmarks/target/benchmarks.jar kg.evpower.benchmarks.fullflow.FullFlowLoad \
 *     --tokens clients.txt --stations @stations.txt --rate 50 --session-seconds 5 --duration 60</pre>
 *
 * Options: {@code --base-url} (http://127.0.0.1:8082, charging-service direct; http://127.0.0.1:8080 is the nginx
 * gateway), {@code --tokens FILE} (one client a line: {@code clientId token} or the token alone), {@code --stations}
 * (comma list of {@code ID} or {@code ID:connector}, or {@code @FILE}), {@code --connectors N} (2: per plain station id),
 * {@code --rate R} (50 starts/s), {@code --session-seconds S} (5), {@code --duration S} (60, at most 600),
 * {@code --cooldown-seconds S} (2: a client and a connector rest this long after a stop or a failed start, so the
 * station's StopTransaction is settled before they are used again), {@code --amount-som A} (10: the session's amount
 * limit), {@code --timeout-seconds S} (30 per request), {@code --out FILE} (the summary also written there).
 *
 * <p>Whether a session reached CHARGING comes from its stop answer, without polling the status endpoint: charging-service
 * cancels a session the station never started ("Charging cancelled before it started") and otherwise sends a
 * RemoteStopTransaction for the transaction the station started (docs/charging-service.md, session state machine).
 */
public final class FullFlowLoad {

    static final String CANCELLED_BEFORE_START = "cancelled before it started";

    private final URI base;
    private final double rate;
    private final long sessionNanos;
    private final long durationNanos;
    private final long cooldownNanos;
    private final String amountSom;
    private final Duration timeout;
    private final HttpClient http;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fullflow-timers");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<AppClient> freeClients;
    private final ArrayDeque<Connector> freeConnectors;
    private final AtomicInteger pending = new AtomicInteger();
    final FullFlowResults results = new FullFlowResults();

    FullFlowLoad(URI base, List<AppClient> clients, List<Connector> connectors, double rate, double sessionSeconds,
            double durationSeconds, double cooldownSeconds, String amountSom, Duration timeout) {
        this.base = base;
        this.rate = rate;
        this.sessionNanos = (long) (sessionSeconds * 1e9);
        this.durationNanos = (long) (durationSeconds * 1e9);
        this.cooldownNanos = (long) (cooldownSeconds * 1e9);
        this.amountSom = amountSom;
        this.timeout = timeout;
        this.freeClients = new ArrayDeque<>(clients);
        this.freeConnectors = new ArrayDeque<>(connectors);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = FullFlowInputs.options(args, List.of());
        URI base = URI.create(o.getOrDefault("--base-url", "http://127.0.0.1:8082").replaceAll("/+$", ""));
        String host = base.getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host) && !"::1".equals(host) && !"[::1]".equals(host)) {
            throw new IllegalArgumentException("--base-url must be on loopback");
        }
        List<AppClient> clients = FullFlowInputs.clients(Path.of(required(o, "--tokens")));
        List<Connector> connectors = FullFlowInputs.connectors(required(o, "--stations"),
                Integer.parseInt(o.getOrDefault("--connectors", "2")));
        double rate = Double.parseDouble(o.getOrDefault("--rate", "50"));
        double session = Double.parseDouble(o.getOrDefault("--session-seconds", "5"));
        double duration = Double.parseDouble(o.getOrDefault("--duration", "60"));
        double cooldown = Double.parseDouble(o.getOrDefault("--cooldown-seconds", "2"));
        if (!(duration > 0 && duration <= 600)) {
            throw new IllegalArgumentException("--duration must be in (0, 600] seconds");
        }
        if (!(session >= 0 && session <= 600) || !(cooldown >= 0 && cooldown <= 60)) {
            throw new IllegalArgumentException("--session-seconds in [0, 600], --cooldown-seconds in [0, 60]");
        }
        if (clients.isEmpty() || connectors.isEmpty()) {
            throw new IllegalArgumentException("no clients or no connectors");
        }
        FullFlowLoad load = new FullFlowLoad(base, clients, connectors, rate, session, duration, cooldown,
                o.getOrDefault("--amount-som", "10"),
                Duration.ofMillis((long) (Double.parseDouble(o.getOrDefault("--timeout-seconds", "30")) * 1000)));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("baseUrl", base.toString());
        settings.put("rate", rate);
        settings.put("sessionSeconds", session);
        settings.put("durationSeconds", duration);
        settings.put("cooldownSeconds", cooldown);
        settings.put("clients", clients.size());
        settings.put("connectors", connectors.size());
        settings.put("stations", FullFlowInputs.stationIds(connectors).size());
        settings.put("amountSom", load.amountSom);
        Map<String, Object> summary = load.run(settings);
        String json = FullFlowInputs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
        System.out.println(json);
        if (o.containsKey("--out")) {
            Files.writeString(Path.of(o.get("--out")), json + "\n");
        }
    }

    private static String required(Map<String, String> o, String name) {
        String value = o.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** Runs the schedule, waits for the last stops, and returns the summary. */
    Map<String, Object> run(Map<String, Object> settings) throws InterruptedException {
        OpenLoopSchedule schedule = new OpenLoopSchedule(rate, durationNanos);
        long total = schedule.totalStarts();
        long t0 = System.nanoTime();
        long nextReport = t0 + 10_000_000_000L;
        for (long i = 0; i < total; i++) {
            long due = t0 + schedule.dueNanos(i);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long now = System.nanoTime();
            results.schedulerLag(now - due);
            fire(due);
            if (now >= nextReport) {
                System.err.printf("[fullflow] %4.0f s: offered %d, started %d, stopped %d, in flight %d%n",
                        (now - t0) / 1e9, results.offered.sum(), results.startsOk.sum(), results.stopsOk.sum(),
                        pending.get());
                nextReport += 10_000_000_000L;
            }
        }
        long window = Math.max(durationNanos, System.nanoTime() - t0);
        long drainUntil = System.nanoTime() + sessionNanos + 2 * timeout.toNanos() + 10_000_000_000L;
        while (pending.get() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        if (pending.get() > 0) {
            System.err.println("[fullflow] " + pending.get() + " calls still open at the end of the drain");
        }
        settings.put("stillOpenAtEnd", pending.get());
        timers.shutdownNow();
        return results.summary(settings, window, System.nanoTime() - t0);
    }

    /** One due start: a free client and connector, or counted as not sent. */
    private void fire(long dueNanos) {
        results.offered.increment();
        AppClient client;
        Connector connector;
        synchronized (this) {
            if (freeClients.isEmpty() || freeConnectors.isEmpty()) {
                client = null;
                connector = null;
            } else {
                client = freeClients.poll();
                connector = freeConnectors.poll();
            }
        }
        if (client == null) {
            results.noCapacity.increment();
            return;
        }
        results.startsSent.increment();
        pending.incrementAndGet();
        String body = "{\"station_id\":\"" + connector.stationId() + "\",\"connector_id\":" + connector.connectorId()
                + ",\"amount_som\":" + amountSom + "}";
        http.sendAsync(post("/api/v1/charging/start", client, body), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    try {
                        onStart(client, connector, dueNanos, response, failure);
                    } catch (RuntimeException e) {
                        results.startFailed("client:" + e.getClass().getSimpleName());
                        releaseLater(client, connector);
                        pending.decrementAndGet();
                    }
                });
    }

    private void onStart(AppClient client, Connector connector, long dueNanos, HttpResponse<String> response,
            Throwable failure) {
        long answeredAt = System.nanoTime();
        results.startLatency.record(answeredAt - dueNanos);
        if (failure != null) {
            results.startFailed(failureKey(failure));
            releaseLater(client, connector);
            pending.decrementAndGet();
            return;
        }
        JsonNode answer = parse(response.body());
        String sessionId = answer.path("session_id").asText("");
        if (response.statusCode() == 200 && answer.path("success").asBoolean(false) && !sessionId.isEmpty()) {
            results.startsOk.increment();
            long stopDue = answeredAt + sessionNanos;
            timers.schedule(() -> stop(client, connector, sessionId, stopDue), sessionNanos, TimeUnit.NANOSECONDS);
        } else {
            results.startFailed(FullFlowResults.failureKey(response.statusCode(), errorOf(answer)));
            releaseLater(client, connector);
            pending.decrementAndGet();
        }
    }

    private void stop(AppClient client, Connector connector, String sessionId, long dueNanos) {
        results.stopsSent.increment();
        http.sendAsync(post("/api/v1/charging/stop", client, "{\"session_id\":\"" + sessionId + "\"}"),
                        HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    try {
                        results.stopLatency.record(System.nanoTime() - dueNanos);
                        if (failure != null) {
                            results.stopFailed(failureKey(failure));
                            return;
                        }
                        JsonNode answer = parse(response.body());
                        if (response.statusCode() == 200 && answer.path("success").asBoolean(false)) {
                            results.stopsOk.increment();
                            if (answer.path("message").asText("").contains(CANCELLED_BEFORE_START)) {
                                results.cancelledBeforeCharging.increment();
                            } else {
                                results.reachedCharging.increment();
                            }
                        } else {
                            results.stopFailed(FullFlowResults.failureKey(response.statusCode(), errorOf(answer)));
                        }
                    } finally {
                        releaseLater(client, connector);
                        pending.decrementAndGet();
                    }
                });
    }

    private HttpRequest post(String path, AppClient client, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + client.token())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The client and the connector go back to the pools after the cool-down. */
    private void releaseLater(AppClient client, Connector connector) {
        Runnable release = () -> {
            synchronized (this) {
                freeClients.add(client);
                freeConnectors.add(connector);
            }
        };
        try {
            timers.schedule(release, cooldownNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            release.run(); // the run is over
        }
    }

    static JsonNode parse(String body) {
        try {
            return FullFlowInputs.JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (Exception e) {
            return FullFlowInputs.JSON.createObjectNode();
        }
    }

    /** The app error code of an answer: {@code error}, or {@code detail.error} (404/403 shapes), or {@code code}. */
    static String errorOf(JsonNode answer) {
        for (JsonNode candidate : List.of(answer.path("error"), answer.path("detail").path("error"), answer.path("code"))) {
            if (candidate.isTextual() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        return null;
    }

    static String failureKey(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof HttpTimeoutException ? "timeout" : "io:" + cause.getClass().getSimpleName();
    }
}
