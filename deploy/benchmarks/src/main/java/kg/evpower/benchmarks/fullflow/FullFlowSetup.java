package kg.evpower.benchmarks.fullflow;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import kg.evpower.benchmarks.fullflow.FullFlowInputs.AppClient;

/**
 * Gets a local platform (deploy/run-local.sh) ready for {@link FullFlowLoad}: puts the simulated stations into
 * charging-service's catalogue with a tariff plan of their own (admin API, operator token), tops up every client's
 * wallet the way WholeStoryIT does (QR invoice, the O!Dengi simulator pays it and calls the webhook; a status check
 * credits it if the webhook was refused). Whether the stations are connected is not visible here without a service
 * token (the catalogue's online flag follows gateway events, which a station sent before it was in the catalogue
 * does not update): run-fullflow.sh waits for the simulator's "connected" lines instead.
 *
 * <pre>java -cp benchmarks.jar kg.evpower.benchmarks.fullflow.FullFlowSetup --admin-token-file admin.txt \
 *     --tokens clients.txt --stations @stations.txt --topup-som 100</pre>
 *
 * Options: {@code --charging-url} (http://127.0.0.1:8082), {@code --payment-url} (http://127.0.0.1:8083: the wallet
 * API and the simulator), {@code --connectors N} (2), {@code --topup-som} (100), {@code --concurrency} (8),
 * {@code --rate-per-kwh-tyiyn} (1000). Prints a JSON report; exits 1 when no client was funded.
 */
public final class FullFlowSetup {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI charging;
    private final URI payment;

    private FullFlowSetup(URI charging, URI payment) {
        this.charging = charging;
        this.payment = payment;
    }

    record Answer(int status, JsonNode body) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = FullFlowInputs.options(args, List.of());
        FullFlowSetup setup = new FullFlowSetup(URI.create(o.getOrDefault("--charging-url", "http://127.0.0.1:8082")),
                URI.create(o.getOrDefault("--payment-url", "http://127.0.0.1:8083")));
        String admin = Files.readString(Path.of(o.get("--admin-token-file"))).strip();
        List<AppClient> clients = FullFlowInputs.clients(Path.of(o.get("--tokens")));
        int perStation = Integer.parseInt(o.getOrDefault("--connectors", "2"));
        List<String> stations = FullFlowInputs.stationIds(FullFlowInputs.connectors(o.get("--stations"), perStation));
        BigDecimal topup = new BigDecimal(o.getOrDefault("--topup-som", "100"));
        int concurrency = Integer.parseInt(o.getOrDefault("--concurrency", "8"));
        long ratePerKwh = Long.parseLong(o.getOrDefault("--rate-per-kwh-tyiyn", "1000"));

        Map<String, Object> report = new LinkedHashMap<>();
        long planId = setup.catalogue(admin, stations, perStation, ratePerKwh);
        report.put("tariffPlanId", planId);
        report.put("stationsInCatalogue", stations.size());
        Map<String, Integer> funded = setup.topUps(clients, topup, concurrency);
        report.put("clients", funded);
        System.out.println(FullFlowInputs.JSON.writeValueAsString(report));
        if (funded.getOrDefault("funded", 0) == 0) {
            System.exit(1);
        }
    }

    /** A tariff plan (per kWh only) and every station with its connectors, in charging-service's catalogue. */
    private long catalogue(String admin, List<String> stations, int perStation, long ratePerKwh) throws Exception {
        Answer plan = call("POST", charging.resolve("/api/v1/admin/tariff-plans"), admin,
                "{\"name\":\"fullflow " + System.currentTimeMillis() + "\"}");
        check(plan, "tariff plan");
        long planId = plan.body().path("id").asLong();
        check(call("POST", charging.resolve("/api/v1/admin/tariff-plans/" + planId + "/rules"), admin,
                "{\"tariff_type\":\"per_kwh\",\"price\":" + ratePerKwh + "}"), "tariff rule");
        StringBuilder connectors = new StringBuilder();
        for (int c = 1; c <= perStation; c++) {
            connectors.append(c == 1 ? "" : ",").append("{\"id\":").append(c).append(",\"type\":\"Type2\",\"power_kw\":22}");
        }
        for (String station : stations) {
            check(call("PUT", charging.resolve("/api/v1/admin/stations/" + station), admin,
                    "{\"tariff_plan_id\":" + planId + ",\"model\":\"Sim\",\"manufacturer\":\"EvPower\","
                            + "\"power_capacity_kw\":22,\"connectors\":[" + connectors + "]}"), "station " + station);
        }
        return planId;
    }

    /** Tops up every client with less than the amount; counts funded / failed. */
    private Map<String, Integer> topUps(List<AppClient> clients, BigDecimal amount, int concurrency) throws Exception {
        Map<String, AtomicInteger> outcome = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(concurrency);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (AppClient client : clients) {
                done.add(threads.submit(() -> {
                    slots.acquireUninterruptibly();
                    try {
                        String result = topUp(client, amount);
                        outcome.computeIfAbsent(result, k -> new AtomicInteger()).incrementAndGet();
                        if (!result.startsWith("funded")) {
                            System.err.println("[fullflow-setup] " + client.id() + ": " + result);
                        }
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        outcome.forEach((k, v) -> counts.put(k.startsWith("funded") ? "funded" : k, counts.getOrDefault(
                k.startsWith("funded") ? "funded" : k, 0) + v.get()));
        return counts;
    }

    private String topUp(AppClient client, BigDecimal amount) {
        try {
            BigDecimal before = balance(client);
            if (before.compareTo(amount) >= 0) {
                return "funded (already)";
            }
            Answer invoice = call("POST", payment.resolve("/api/v1/balance/topup-qr"), client.token(),
                    "{\"amount\":" + amount.toPlainString() + ",\"description\":\"fullflow benchmark\"}");
            if (invoice.status() != 200 || !invoice.body().path("success").asBoolean(false)) {
                return "topup-qr " + invoice.status() + ":" + FullFlowLoad.errorOf(invoice.body());
            }
            String invoiceId = invoice.body().path("invoice_id").asText();
            Answer paid = call("POST", payment.resolve("/simulator/odengi/invoices/" + invoiceId + "/pay"), null, null);
            if (paid.status() >= 300) {
                return "simulator pay " + paid.status();
            }
            BigDecimal target = before.max(BigDecimal.ZERO).add(amount);
            for (int i = 0; i < 60; i++) {
                if (balance(client).compareTo(target) >= 0) {
                    return "funded";
                }
                if (i == 6) {
                    // the webhook may have been refused (rate limits on one address): ask the provider directly
                    call("POST", payment.resolve("/api/v1/payment/status-check/" + invoiceId), client.token(), null);
                }
                Thread.sleep(500);
            }
            return "not credited within 30 s";
        } catch (Exception e) {
            return "error " + e.getClass().getSimpleName();
        }
    }

    private BigDecimal balance(AppClient client) throws Exception {
        Answer a = call("GET", payment.resolve("/api/v1/balance/" + client.id()), client.token(), null);
        return a.status() == 200 && a.body().has("balance") ? new BigDecimal(a.body().path("balance").asText())
                : BigDecimal.valueOf(-1);
    }

    private Answer call(String method, URI uri, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), FullFlowLoad.parse(response.body()));
    }

    private static void check(Answer answer, String what) {
        if (answer.status() != 200 || !answer.body().path("success").asBoolean(false)) {
            throw new IllegalStateException(what + ": HTTP " + answer.status() + " " + answer.body());
        }
    }
}
