package kg.evpower.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import kg.evpower.e2e.Platform.Answer;

/**
 * The whole story of issue 8, played against the packaged platform started by the README's run command: the app, the
 * station and the payment provider go through the nginx API gateway only; the operator works on the operator network
 * (security-service and charging-service's admin API, which the API gateway never exposes).
 */
class WholeStoryIT {

    /** 50 som per kWh and a 5 som session fee, in tyiyn. */
    private static final long RATE_PER_KWH = 5_000;
    private static final long SESSION_FEE = 500;

    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.shared();
    }

    @Test
    void registerConnectTopUpChargeToTheLimitSettleAndRevoke() throws Exception {
        assertTrue(platform.hasApiGateway(), "nginx must be installed (.ci/run installs it): the story goes through it");
        String suffix = UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        String cpId = "E2E-" + suffix;
        String clientId = "e2e-client-" + suffix.toLowerCase(Locale.ROOT);
        Map<String, String> adminKey = Map.of("X-Admin-Key", platform.env.get("EV_ADMIN_KEY"));
        Map<String, String> operator = Platform.bearer(platform.token("operator-" + suffix, true));
        Map<String, String> app = Platform.bearer(platform.token(clientId, false));

        // 1. The operator registers the charge point with security-service and receives its key once.
        Answer registered = Platform.call("POST", Platform.SECURITY + "/admin/charge-points", adminKey,
                "{\"cp_id\":\"" + cpId + "\",\"location\":\"E2E test site\"}");
        assertEquals(201, registered.status(), registered.toString());
        String key = registered.body().path("authorization_key").asText();
        assertTrue(key.length() >= 16, "an authorization key is returned");

        // 2. The operator adds the location, a tariff and the station's commercial data in charging-service.
        Answer location = Platform.call("POST", Platform.CHARGING + "/api/v1/admin/locations", operator,
                "{\"name\":\"E2E " + suffix + "\",\"address\":\"Chui 1\",\"city\":\"Bishkek\",\"country\":\"KG\"}");
        assertEquals(200, location.status(), location.toString());
        Answer plan = Platform.call("POST", Platform.CHARGING + "/api/v1/admin/tariff-plans", operator,
                "{\"name\":\"E2E plan " + suffix + "\"}");
        assertEquals(200, plan.status(), plan.toString());
        long planId = plan.body().path("id").asLong();
        for (String rule : List.of("{\"tariff_type\":\"per_kwh\",\"price\":" + RATE_PER_KWH + "}",
                "{\"tariff_type\":\"session_fee\",\"price\":" + SESSION_FEE + "}")) {
            Answer added = Platform.call("POST", Platform.CHARGING + "/api/v1/admin/tariff-plans/" + planId + "/rules",
                    operator, rule);
            assertEquals(200, added.status(), added.toString());
        }
        Answer station = Platform.call("PUT", Platform.CHARGING + "/api/v1/admin/stations/" + cpId, operator,
                "{\"location_id\":" + location.body().path("id").asLong() + ",\"tariff_plan_id\":" + planId
                        + ",\"model\":\"Sim\",\"manufacturer\":\"EvPower\",\"power_capacity_kw\":720,"
                        + "\"connectors\":[{\"id\":1,\"type\":\"Type2\",\"power_kw\":720},{\"id\":2,\"type\":\"CCS2\",\"power_kw\":720}]}");
        assertEquals(200, station.status(), station.toString());

        // 3. The station connects through the API gateway with its key (security profile 1) and boots.
        Path credentials = platform.local.resolve("e2e-stations.txt");
        Files.writeString(credentials, cpId + ":" + key + "\n");
        Path simulatorLog = platform.local.resolve("logs/e2e-simulator.log");
        Process simulator = new ProcessBuilder(Processes.java(), "-Xmx128m", "-jar",
                Processes.root().resolve("deploy/station-simulator/target/station-simulator.jar").toString(),
                "--url", "ws://127.0.0.1:8080/ocpp", "--ids", cpId, "--credentials-file", credentials.toString(),
                "--connectors", "2", "--power-kw", "720", "--meter-interval", "0.5", "--verbose")
                .redirectErrorStream(true).redirectOutput(simulatorLog.toFile()).start();
        try {
            AtomicReference<Answer> status = new AtomicReference<>();
            boolean online = Processes.waitFor(Duration.ofSeconds(60), () -> {
                status.set(quietly(() -> Platform.call("GET", Platform.GATEWAY + "/api/v1/station/status/" + cpId,
                        Map.of(), null)));
                return status.get() != null && status.get().raw().contains("Available")
                        && status.get().body().path("success").asBoolean(false)
                        && isOnline(status.get().body());
            });
            assertTrue(online, "the station is online with available connectors: " + status.get()
                    + "\n" + Processes.read(simulatorLog) + platform.logs());

            // 4. The client tops up 500 som by QR; the provider (O!Dengi simulator) is paid and calls the webhook.
            Answer invoice = Platform.call("POST", Platform.GATEWAY + "/api/v1/balance/topup-qr", app,
                    "{\"amount\":500,\"description\":\"E2E top-up\"}");
            assertEquals(200, invoice.status(), invoice.toString());
            assertTrue(invoice.body().path("success").asBoolean(), invoice.toString());
            String invoiceId = invoice.body().path("invoice_id").asText();
            Answer paid = Platform.call("POST", Platform.PAYMENT + "/simulator/odengi/invoices/" + invoiceId + "/pay",
                    Map.of(), null);
            assertTrue(paid.status() == 200 || paid.status() == 204, paid.toString());
            assertTrue(Processes.waitFor(Duration.ofSeconds(30), () -> balance(app, clientId).compareTo(new BigDecimal("500")) == 0),
                    "the wallet is credited 500 som: " + quietly(() -> Platform.call("GET",
                            Platform.GATEWAY + "/api/v1/balance/" + clientId, app, null)) + platform.logs());

            // 5. The client starts charging with a 100 som limit.
            Map<String, String> startHeaders = new HashMap<>(app);
            startHeaders.put("Idempotency-Key", "e2e-start-" + suffix);
            Answer started = Platform.call("POST", Platform.GATEWAY + "/api/v1/charging/start", startHeaders,
                    "{\"station_id\":\"" + cpId + "\",\"connector_id\":1,\"amount_som\":100}");
            assertEquals(200, started.status(), started.toString());
            assertTrue(started.body().path("success").asBoolean(), started + platform.logs());
            String sessionId = started.body().path("session_id").asText();

            // 6. The station starts the transaction and meters; the amount limit stops it; the session is settled.
            AtomicReference<Answer> session = new AtomicReference<>();
            boolean settled = Processes.waitFor(Duration.ofSeconds(120), () -> {
                session.set(quietly(() -> Platform.call("GET", Platform.GATEWAY + "/api/v1/charging/status/" + sessionId,
                        app, null)));
                return session.get() != null && "stopped".equals(session.get().body().path("session").path("status").asText());
            });
            assertTrue(settled, "the limit stops and settles the session: " + session.get() + "\n"
                    + tail(Processes.read(simulatorLog)) + platform.logs());
            JsonNode done = session.get().body().path("session");
            assertTrue(done.path("limit_reached").asBoolean(false) || done.path("progress_percent").asDouble() >= 95,
                    "stopped by the limit: " + done);

            // 7. Balance = 500 som - the exact cost (energy x rate + session fee, from the tariff the session started with).
            long energyWh = new BigDecimal(done.path("energy_kwh").asText(done.path("energy_consumed").asText()))
                    .movePointRight(3).longValueExact();
            assertTrue(energyWh > 0, "energy was delivered: " + done);
            long expectedCost = energyWh * RATE_PER_KWH / 1000 + SESSION_FEE;
            BigDecimal expectedBalance = BigDecimal.valueOf(50_000 - expectedCost).movePointLeft(2);
            assertTrue(Processes.waitFor(Duration.ofSeconds(20), () -> balance(app, clientId).compareTo(expectedBalance) == 0),
                    "balance " + balance(app, clientId) + " = 500 - " + BigDecimal.valueOf(expectedCost).movePointLeft(2)
                            + " (" + energyWh + " Wh)");
            assertLedgerBalances(clientId, 50_000 - expectedCost);

            // 8. History shows the session and the payments.
            Answer history = Platform.call("GET", Platform.GATEWAY + "/api/v1/history/charging", app, null);
            assertEquals(200, history.status(), history.toString());
            assertTrue(history.raw().contains(sessionId), "charging history lists the session: " + history);
            Answer transactions = Platform.call("GET", Platform.GATEWAY + "/api/v1/history/transactions", app, null);
            assertEquals(200, transactions.status(), transactions.toString());
            assertTrue(transactions.raw().contains(invoiceId), "transaction history lists the top-up: " + transactions);
            assertTrue(transactions.body().path("data").size() >= 2, "the top-up and the charge: " + transactions);

            // 9. The operator revokes the charge point: its socket is closed and it cannot connect again.
            Answer revoked = Platform.call("POST", Platform.SECURITY + "/status/revoke", adminKey,
                    "{\"cp_id\":\"" + cpId + "\",\"reason\":\"E2E: stolen station\"}");
            assertEquals(200, revoked.status(), revoked.toString());
            Map<String, String> service = Platform.bearer(platform.serviceToken());
            assertTrue(Processes.waitFor(Duration.ofSeconds(10), () -> {
                Answer live = quietly(() -> Platform.call("GET", Platform.STATIONS + "/internal/stations/" + cpId, service, null));
                return live != null && live.status() == 200 && !live.body().path("connected").asBoolean(true);
            }), "the revoked station is disconnected: " + quietly(() -> Platform.call("GET",
                    Platform.STATIONS + "/internal/stations/" + cpId, service, null)));
            assertFalse(canConnect(cpId, key), "a revoked charge point is refused at the handshake");
        } finally {
            simulator.destroy();
            if (!simulator.waitFor(15, TimeUnit.SECONDS)) {
                simulator.destroyForcibly();
            }
        }
    }

    /**
     * The same story with faults: a duplicated webhook, payment-service killed mid-session (run-local starts it again),
     * and the station's connection cut mid-transaction (nginx stopped and restarted; the station reconnects and sends
     * what it queued). The money still comes out exact.
     */
    @Test
    void faultsMidSessionLeaveTheMoneyExact() throws Exception {
        assertTrue(platform.hasApiGateway(), "nginx must be installed (.ci/run installs it): the story goes through it");
        String suffix = UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        String cpId = "E2F-" + suffix;
        String clientId = "e2e-faults-" + suffix.toLowerCase(Locale.ROOT);
        Map<String, String> adminKey = Map.of("X-Admin-Key", platform.env.get("EV_ADMIN_KEY"));
        Map<String, String> operator = Platform.bearer(platform.token("operator-" + suffix, true));
        Map<String, String> app = Platform.bearer(platform.token(clientId, false));

        Answer registered = Platform.call("POST", Platform.SECURITY + "/admin/charge-points", adminKey,
                "{\"cp_id\":\"" + cpId + "\",\"location\":\"E2E faults site\"}");
        assertEquals(201, registered.status(), registered.toString());
        String key = registered.body().path("authorization_key").asText();
        long planId = Platform.call("POST", Platform.CHARGING + "/api/v1/admin/tariff-plans", operator,
                "{\"name\":\"E2E faults " + suffix + "\"}").body().path("id").asLong();
        Platform.call("POST", Platform.CHARGING + "/api/v1/admin/tariff-plans/" + planId + "/rules", operator,
                "{\"tariff_type\":\"per_kwh\",\"price\":" + RATE_PER_KWH + "}");
        Platform.call("POST", Platform.CHARGING + "/api/v1/admin/tariff-plans/" + planId + "/rules", operator,
                "{\"tariff_type\":\"session_fee\",\"price\":" + SESSION_FEE + "}");
        Answer station = Platform.call("PUT", Platform.CHARGING + "/api/v1/admin/stations/" + cpId, operator,
                "{\"tariff_plan_id\":" + planId + ",\"connectors\":[{\"id\":1,\"type\":\"Type2\",\"power_kw\":720}]}");
        assertEquals(200, station.status(), station.toString());

        Path credentials = platform.local.resolve("e2e-faults-stations.txt");
        Files.writeString(credentials, cpId + ":" + key + "\n");
        Path simulatorLog = platform.local.resolve("logs/e2e-faults-simulator.log");
        // Slower metering than the first story (36 kW, every second): the faults happen while it charges.
        Process simulator = new ProcessBuilder(Processes.java(), "-Xmx128m", "-jar",
                Processes.root().resolve("deploy/station-simulator/target/station-simulator.jar").toString(),
                "--url", "ws://127.0.0.1:8080/ocpp", "--ids", cpId, "--credentials-file", credentials.toString(),
                "--connectors", "1", "--power-kw", "180", "--meter-interval", "1", "--verbose")
                .redirectErrorStream(true).redirectOutput(simulatorLog.toFile()).start();
        try {
            assertTrue(Processes.waitFor(Duration.ofSeconds(60), () -> {
                Answer status = quietly(() -> Platform.call("GET", Platform.GATEWAY + "/api/v1/station/status/" + cpId,
                        Map.of(), null));
                return status != null && status.raw().contains("Available") && isOnline(status.body());
            }), "the station is online\n" + tail(Processes.read(simulatorLog)));

            // A top-up whose webhook arrives twice is credited once.
            Answer invoice = Platform.call("POST", Platform.GATEWAY + "/api/v1/balance/topup-qr", app, "{\"amount\":500}");
            assertEquals(200, invoice.status(), invoice.toString());
            String invoiceId = invoice.body().path("invoice_id").asText();
            Platform.call("POST", Platform.PAYMENT + "/simulator/odengi/invoices/" + invoiceId + "/pay", Map.of(), null);
            assertTrue(Processes.waitFor(Duration.ofSeconds(30),
                    () -> balance(app, clientId).compareTo(new BigDecimal("500")) == 0), "credited 500");
            Answer again = Platform.call("POST", Platform.PAYMENT + "/simulator/odengi/invoices/" + invoiceId
                    + "/pay?force=true", Map.of(), null);
            assertTrue(again.status() < 500, again.toString());
            Thread.sleep(2000);
            assertEquals(0, balance(app, clientId).compareTo(new BigDecimal("500")), "a duplicated webhook credits nothing more");

            Map<String, String> startHeaders = new HashMap<>(app);
            startHeaders.put("Idempotency-Key", "e2e-faults-" + suffix);
            Answer started = Platform.call("POST", Platform.GATEWAY + "/api/v1/charging/start", startHeaders,
                    "{\"station_id\":\"" + cpId + "\",\"connector_id\":1,\"amount_som\":100}");
            assertTrue(started.body().path("success").asBoolean(), started.toString());
            String sessionId = started.body().path("session_id").asText();
            assertTrue(Processes.waitFor(Duration.ofSeconds(60), () -> "started".equals(quietly(() -> Platform.call("GET",
                    Platform.GATEWAY + "/api/v1/charging/status/" + sessionId, app, null)).body().path("session")
                    .path("status").asText())), "the session is charging");

            // payment-service dies mid-session; the run command starts it again.
            kill("payment-service/target/quarkus-app", true);
            assertTrue(Processes.waitFor(Duration.ofSeconds(120), () -> Processes.ready(8083)), "payment-service is back");

            // The station's connection is cut mid-transaction (nginx stops; the run command starts it again).
            kill("nginx", false);
            assertTrue(Processes.waitFor(Duration.ofSeconds(30), () -> Processes.listening(8080)), "nginx is back");

            AtomicReference<Answer> session = new AtomicReference<>();
            boolean settled = Processes.waitFor(Duration.ofSeconds(150), () -> {
                session.set(quietly(() -> Platform.call("GET", Platform.GATEWAY + "/api/v1/charging/status/" + sessionId,
                        app, null)));
                return session.get() != null && "stopped".equals(session.get().body().path("session").path("status").asText());
            });
            assertTrue(settled, "the session is stopped by its limit and settled despite the faults: " + session.get()
                    + "\n" + tail(Processes.read(simulatorLog)) + platform.logs());
            assertTrue(Processes.read(simulatorLog).contains("connected to ws://127.0.0.1:8080/ocpp/" + cpId),
                    "the station connected");
            JsonNode done = session.get().body().path("session");
            long energyWh = new BigDecimal(done.path("energy_kwh").asText()).movePointRight(3).longValueExact();
            long expectedCost = energyWh * RATE_PER_KWH / 1000 + SESSION_FEE;
            BigDecimal expectedBalance = BigDecimal.valueOf(50_000 - expectedCost).movePointLeft(2);
            assertTrue(Processes.waitFor(Duration.ofSeconds(30), () -> balance(app, clientId).compareTo(expectedBalance) == 0),
                    "balance " + balance(app, clientId) + " = 500 - " + BigDecimal.valueOf(expectedCost).movePointLeft(2)
                            + " (" + energyWh + " Wh)" + platform.logs());
            assertLedgerBalances(clientId, 50_000 - expectedCost);
        } finally {
            simulator.destroy();
            if (!simulator.waitFor(15, TimeUnit.SECONDS)) {
                simulator.destroyForcibly();
            }
        }
    }

    /** Stops the platform's process whose command line contains {@code marker} (SIGKILL when {@code crash}). */
    private static void kill(String marker, boolean crash) {
        if (marker.equals("nginx")) {
            // nginx rewrites its process title, so its command line cannot be matched: it writes its pid instead.
            long pid = Long.parseLong(Processes.read(platform.local.resolve("gateway/nginx.pid")).trim());
            ProcessHandle master = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("nginx " + pid + " runs"));
            master.destroy();
            assertTrue(Processes.waitFor(Duration.ofSeconds(20), () -> !master.isAlive()), "nginx stopped");
            return;
        }
        java.util.List<ProcessHandle> targets = platform.run.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .toList();
        assertFalse(targets.isEmpty(), "a running " + marker + " process");
        targets.forEach(p -> {
            if (crash) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
        });
        assertTrue(Processes.waitFor(Duration.ofSeconds(20), () -> targets.stream().noneMatch(ProcessHandle::isAlive)),
                marker + " stopped");
    }

    private static boolean isOnline(JsonNode status) {
        JsonNode online = status.findValue("is_online");
        if (online == null) {
            online = status.findValue("station_online");
        }
        if (online == null) {
            online = status.findValue("online");
        }
        return online != null && online.asBoolean(false);
    }

    private static BigDecimal balance(Map<String, String> app, String clientId) {
        Answer answer = quietly(() -> Platform.call("GET", Platform.GATEWAY + "/api/v1/balance/" + clientId, app, null));
        if (answer == null || answer.status() != 200 || !answer.body().has("balance")) {
            return BigDecimal.valueOf(-1);
        }
        return new BigDecimal(answer.body().path("balance").asText());
    }

    /** The client's wallet equals credits - debits of its postings, and every entry of the ledger balances. */
    private static void assertLedgerBalances(String clientId, long expectedWallet) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/evpower_payment_e2e", "postgres", "")) {
            try (ResultSet rows = db.createStatement().executeQuery("""
                    SELECT coalesce(sum(CASE direction WHEN 'C' THEN amount ELSE -amount END), 0) FROM posting""")) {
                rows.next();
                assertEquals(0, rows.getLong(1), "credits = debits over the whole ledger");
            }
            var wallet = db.prepareStatement("""
                    SELECT a.balance, coalesce(sum(CASE p.direction WHEN 'C' THEN p.amount ELSE -p.amount END), 0)
                    FROM account a LEFT JOIN posting p ON p.account_id = a.id
                    WHERE a.client_id = ? AND a.kind = 'WALLET' GROUP BY a.balance""");
            wallet.setString(1, clientId);
            try (ResultSet rows = wallet.executeQuery()) {
                assertTrue(rows.next(), "the client has a wallet account");
                assertEquals(expectedWallet, rows.getLong(1), "materialised wallet balance");
                assertEquals(expectedWallet, rows.getLong(2), "wallet = credits - debits of its postings");
            }
        }
    }

    private static boolean canConnect(String cpId, String key) {
        String basic = Base64.getEncoder().encodeToString((cpId + ":" + key).getBytes(StandardCharsets.UTF_8));
        try {
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Basic " + basic).subprotocols("ocpp1.6")
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:8080/ocpp/" + cpId), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            socket.abort();
            return true;
        } catch (Exception e) {
            assertNotNull(e instanceof CompletionException ? e.getCause() : e);
            return false;
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 3000));
    }

    interface Call<T> {
        T get() throws Exception;
    }

    static <T> T quietly(Call<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            return null;
        }
    }
}
