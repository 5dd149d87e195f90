package kg.evpower.payment.simulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import kg.evpower.payment.client.OdengiClient;
import kg.evpower.payment.client.OdengiSigner;
import kg.evpower.payment.config.PaymentConfig;

/**
 * An O!Dengi stand-in for tests and the local run, served by this service under {@code /simulator/odengi} only when
 * {@code evpower.payment.odengi.mode=simulator} (the routes do not exist otherwise; the prod profile refuses the mode
 * unless {@code evpower.payment.odengi.allow-simulator-in-prod=true}). It checks the same envelope and HMAC-MD5 hash,
 * keeps invoices in memory, and on {@code POST /simulator/odengi/invoices/{id}/pay} marks the invoice paid and calls
 * its {@code result_url} with a webhook signed like the provider's (HMAC-SHA256 of the body, X-O-Dengi-Signature).
 * {@code POST /simulator/odengi/outage?down=true|false} makes the API answer 503 (a provider outage).
 */
@ApplicationScoped
public class OdengiSimulator {

    public static final String BASE = "/simulator/odengi";

    static final class Invoice {
        final String invoiceId;
        final String orderId;
        final long amount;
        final String resultUrl;
        volatile String status = "processing";

        Invoice(String invoiceId, String orderId, long amount, String resultUrl) {
            this.invoiceId = invoiceId;
            this.orderId = orderId;
            this.amount = amount;
            this.resultUrl = resultUrl;
        }
    }

    private final PaymentConfig config;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final Map<String, Invoice> invoices = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final SecureRandom random = new SecureRandom();
    private HttpClient http;

    OdengiSimulator(PaymentConfig config, ObjectMapper mapper, Vertx vertx) {
        this.config = config;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    boolean enabled() {
        return "simulator".equalsIgnoreCase(config.odengi().mode());
    }

    void refuseInProd(@Observes StartupEvent event) {
        if (enabled() && ConfigUtils.getProfiles().contains("prod") && !config.odengi().allowSimulatorInProd()) {
            throw new IllegalStateException("Refusing to start: evpower.payment.odengi.mode=simulator in the prod profile "
                    + "(set evpower.payment.odengi.allow-simulator-in-prod=true only for a demo)");
        }
    }

    void routes(@Observes Router router) {
        if (!enabled()) {
            return;
        }
        Log.warn("O!Dengi simulator active under " + BASE + " (evpower.payment.odengi.mode=simulator)");
        http = vertx.createHttpClient();
        router.post(BASE + "/json.php").handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::api);
        router.post(BASE + "/invoices/:id/pay").handler(this::pay);
        router.get(BASE + "/invoices/:id").handler(this::show);
        router.post(BASE + "/outage").handler(ctx -> {
            down.set(Boolean.parseBoolean(ctx.queryParams().get("down")));
            ctx.response().putHeader("Content-Type", "application/json").end("{\"down\":" + down.get() + "}");
        });
    }

    private void api(RoutingContext ctx) {
        if (down.get()) {
            ctx.response().setStatusCode(503).end();
            return;
        }
        Map<String, Object> body;
        try {
            body = mapper.readValue(ctx.body().asString(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (Exception e) {
            reply(ctx, "unknown", Map.of("error", "malformed request"));
            return;
        }
        String cmd = String.valueOf(body.get("cmd"));
        Object hash = body.remove("hash");
        String expected = OdengiSigner.hash(OdengiSigner.compact(body), config.odengi().password().orElse(""));
        if (!(hash instanceof String given) || !OdengiSigner.matches(expected, given)
                || !config.odengi().merchantId().equals(body.get("sid")) || !Integer.valueOf(OdengiSigner.VERSION).equals(body.get("version"))) {
            reply(ctx, cmd, Map.of("error", "invalid hash or merchant"));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = body.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        switch (cmd) {
            case "createInvoice" -> {
                Object amount = data.get("amount");
                if (!(amount instanceof Number n) || n.longValue() <= 0 || data.get("order_id") == null) {
                    reply(ctx, cmd, Map.of("error", "invalid amount or order_id"));
                    return;
                }
                String id = "sim-" + HexFormat.of().formatHex(random.generateSeed(8));
                invoices.put(id, new Invoice(id, String.valueOf(data.get("order_id")), n.longValue(),
                        (String) data.get("result_url")));
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("invoice_id", id);
                answer.put("qr", "00020101021232" + id + "5303417540" + n.longValue() + "6304ABCD");
                answer.put("link_app", "https://simulator.invalid/pay/" + id);
                answer.put("qr_url", "https://simulator.invalid/qr/" + id + ".png");
                reply(ctx, cmd, answer);
            }
            case "statusPayment", "invoiceCancel" -> {
                Invoice invoice = invoices.get(String.valueOf(data.get("invoice_id")));
                if (invoice == null) {
                    reply(ctx, cmd, Map.of("error", "invoice not found"));
                    return;
                }
                if ("invoiceCancel".equals(cmd) && "processing".equals(invoice.status)) {
                    invoice.status = "canceled";
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("invoice_id", invoice.invoiceId);
                answer.put("order_id", invoice.orderId);
                answer.put("status", invoice.status);
                answer.put("amount", invoice.amount);
                reply(ctx, cmd, answer);
            }
            default -> reply(ctx, cmd, Map.of("error", "unknown cmd"));
        }
    }

    private void reply(RoutingContext ctx, String cmd, Map<String, Object> data) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("cmd", cmd);
        answer.put("data", data);
        ctx.response().putHeader("Content-Type", "application/json").end(OdengiSigner.compact(answer));
    }

    private void show(RoutingContext ctx) {
        Invoice invoice = invoices.get(ctx.pathParam("id"));
        if (invoice == null) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json").end(OdengiSigner.compact(
                Map.of("invoice_id", invoice.invoiceId, "order_id", invoice.orderId, "status", invoice.status,
                        "amount", invoice.amount)));
    }

    /** Marks the invoice paid (unless cancelled) and, unless {@code notify=false}, calls its result_url. */
    private void pay(RoutingContext ctx) {
        Invoice invoice = invoices.get(ctx.pathParam("id"));
        if (invoice == null) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        if ("processing".equals(invoice.status) || Boolean.parseBoolean(ctx.queryParams().get("force"))) {
            invoice.status = "approved";
        }
        if ("false".equals(ctx.queryParams().get("notify")) || invoice.resultUrl == null) {
            ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"" + invoice.status + "\"}");
            return;
        }
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("merchant_id", config.odengi().merchantId());
        webhook.put("invoice_id", invoice.invoiceId);
        webhook.put("order_id", invoice.orderId);
        webhook.put("status", "approved".equals(invoice.status) ? 3 : 1);
        webhook.put("amount", invoice.amount);
        webhook.put("paid_amount", invoice.amount);
        webhook.put("currency", "KGS");
        webhook.put("transaction_id", "sim-tx-" + invoice.invoiceId);
        webhook.put("timestamp", Instant.now().getEpochSecond());
        byte[] bytes = OdengiSigner.compact(webhook).getBytes(StandardCharsets.UTF_8);
        String signature = OdengiSigner.webhookSignature(bytes, config.odengi().webhookSecret().orElse(""));
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(invoice.resultUrl))
                .compose(request -> request.putHeader("Content-Type", "application/json")
                        .putHeader("X-O-Dengi-Signature", "sha256=" + signature)
                        .send(Buffer.buffer(bytes)))
                .compose(response -> response.body().map(b -> response.statusCode()))
                .onComplete(result -> ctx.response().putHeader("Content-Type", "application/json").end(
                        "{\"status\":\"" + invoice.status + "\",\"webhookStatus\":"
                                + (result.succeeded() ? result.result() : -1) + "}"));
    }

    /** OdengiClient's simulator endpoint, for the docs. */
    static String endpoint() {
        return OdengiClient.SIMULATOR_PATH;
    }
}
