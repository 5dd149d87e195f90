package kg.evpower.payment.client;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import kg.evpower.payment.config.LocalServer;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.service.AuditService;

/**
 * O!Dengi's JSON API: {@code createInvoice}, {@code statusPayment}, {@code invoiceCancel}. Every call is audited
 * (hash masked). Fault tolerance: a timeout on each call, retries only for the idempotent status and cancel calls,
 * a circuit breaker per call; a provider's refusal ({@link OdengiRejected}) neither retries nor opens a breaker.
 * Limits are overridable per method in config ({@code quarkus.fault-tolerance."...OdengiClient/statusPayment"...}).
 */
@ApplicationScoped
public class OdengiClient {

    public static final String SIMULATOR_PATH = "/simulator/odengi/json.php";

    /** What the provider says about a payment: PAID, PENDING or CANCELED (with the paid amount in tyiyn when PAID). */
    public record PaymentStatus(String state, String providerStatus, Long paidAmount) {
        public boolean paid() {
            return "PAID".equals(state);
        }
    }

    public record Invoice(String invoiceId, String qr, String appLink, String qrUrl) {
    }

    /** The provider answered but refused the request (not an outage). */
    public static class OdengiRejected extends RuntimeException {
        public OdengiRejected(String message) {
            super(message, null, false, false);
        }
    }

    private final PaymentConfig config;
    private final AuditService audit;
    private final ObjectMapper mapper;
    private volatile OdengiApi api;

    OdengiClient(PaymentConfig config, AuditService audit, ObjectMapper mapper) {
        this.config = config;
        this.audit = audit;
        this.mapper = mapper;
    }

    public boolean simulated() {
        return "simulator".equalsIgnoreCase(config.odengi().mode());
    }

    /** The {@code result_url} sent with each invoice: configured, or this instance's webhook in simulator mode. */
    public String resultUrl() {
        return config.odengi().resultUrl().filter(u -> !u.isBlank())
                .orElseGet(() -> LocalServer.baseUrl() + "/api/v1/payment/webhook");
    }

    private OdengiApi api() {
        OdengiApi current = api;
        if (current == null) {
            String url = simulated() ? LocalServer.baseUrl() + SIMULATOR_PATH
                    : config.odengi().apiUrl().orElseThrow(() -> new IllegalStateException("ODENGI_API_URL is not set"));
            long timeout = config.odengi().httpTimeout().toMillis();
            current = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                    .connectTimeout(timeout, TimeUnit.MILLISECONDS).readTimeout(timeout, TimeUnit.MILLISECONDS)
                    .build(OdengiApi.class);
            api = current;
        }
        return current;
    }

    @Timeout(5000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, successThreshold = 1,
            skipOn = OdengiRejected.class)
    @CircuitBreakerName("odengi-create-invoice")
    public Uni<Invoice> createInvoice(String orderId, long amount, String description, String clientId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("amount", amount);
        data.put("desc", description);
        data.put("order_id", orderId);
        data.put("result_url", resultUrl());
        return call("createInvoice", data, null, clientId).map(d -> {
            String invoiceId = text(d, "invoice_id");
            if (invoiceId == null) {
                throw new OdengiRejected("createInvoice answered without invoice_id");
            }
            String appLink = text(d, "link_app") != null ? text(d, "link_app") : text(d, "app_link");
            return new Invoice(invoiceId, text(d, "qr"), appLink, text(d, "qr_url"));
        });
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, abortOn = OdengiRejected.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, successThreshold = 1,
            skipOn = OdengiRejected.class)
    @CircuitBreakerName("odengi-status-payment")
    public Uni<PaymentStatus> statusPayment(String invoiceId, String orderId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invoice_id", invoiceId);
        if (orderId != null) {
            data.put("order_id", orderId);
        }
        return call("statusPayment", data, invoiceId, null).map(OdengiClient::status);
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, abortOn = OdengiRejected.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 10_000, successThreshold = 1,
            skipOn = OdengiRejected.class)
    @CircuitBreakerName("odengi-invoice-cancel")
    public Uni<PaymentStatus> cancelInvoice(String invoiceId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invoice_id", invoiceId);
        return call("invoiceCancel", data, invoiceId, null).map(OdengiClient::status);
    }

    /**
     * Maps the provider's status: textual {@code approved}/{@code processing}/{@code canceled}; numeric values follow the
     * provider's own mapping (3 = paid, 2 = cancelled, 0/1 = waiting). Anything unknown counts as PENDING, never paid.
     */
    static PaymentStatus status(JsonNode data) {
        JsonNode source = data.path("payments").isArray() && !data.path("payments").isEmpty() ? data.path("payments").get(0) : data;
        JsonNode status = source.path("status");
        String raw = status.isMissingNode() || status.isNull() ? null : status.asText();
        String state = switch (raw == null ? "" : raw.toLowerCase(Locale.ROOT)) {
            case "approved", "paid", "3" -> "PAID";
            case "canceled", "cancelled", "2" -> "CANCELED";
            default -> "PENDING";
        };
        JsonNode amount = source.path("amount");
        Long paid = "PAID".equals(state) && amount.canConvertToLong() && amount.asLong() > 0 ? amount.asLong() : null;
        return new PaymentStatus(state, raw, paid);
    }

    private Uni<JsonNode> call(String cmd, Map<String, Object> data, String invoiceId, String clientId) {
        String password = config.odengi().password().filter(p -> !p.isBlank())
                .orElseThrow(() -> new IllegalStateException("ODENGI_PASSWORD is not set"));
        Map<String, Object> unsigned = OdengiSigner.unsigned(cmd, config.odengi().merchantId(),
                String.valueOf(Instant.now().getEpochSecond()), config.odengi().lang(), data);
        String body = OdengiSigner.sign(unsigned, password);
        String masked = OdengiSigner.compact(unsigned);
        return Uni.createFrom().deferred(() -> api().call(body))
                .onFailure().call(f -> audit.record(new AuditService.Entry("ODENGI", "OUT", cmd, invoiceId, clientId, null,
                        masked, null, "transport_error:" + f.getClass().getSimpleName())))
                .chain(answer -> {
                    JsonNode root;
                    try {
                        root = mapper.readTree(answer);
                    } catch (Exception e) {
                        root = null;
                    }
                    JsonNode d = root == null ? null : root.path("data");
                    String error = root == null ? "unparsable" : firstText(root.path("error"), d.path("error"));
                    String outcome = error == null ? "ok" : "rejected";
                    String invoice = invoiceId != null ? invoiceId : (d == null ? null : text(d, "invoice_id"));
                    JsonNode result = d;
                    return audit.record(new AuditService.Entry("ODENGI", "OUT", cmd, invoice, clientId, null, masked,
                            answer, outcome)).map(ignored -> {
                                if (error != null || result == null || result.isMissingNode()) {
                                    throw new OdengiRejected(cmd + " refused by the provider");
                                }
                                return result;
                            });
                });
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n != null && !n.isMissingNode() && !n.isNull() && !n.asText().isBlank()) {
                return n.asText();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
