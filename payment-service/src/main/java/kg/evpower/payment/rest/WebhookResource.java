package kg.evpower.payment.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import kg.evpower.payment.client.OdengiSigner;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.metrics.PaymentMetrics;
import kg.evpower.payment.service.AuditService;
import kg.evpower.payment.service.TopupService;
import kg.evpower.payment.service.WebhookRateLimiter;

/**
 * O!Dengi's payment notification (public, no user token). In order: rate limit per real source address (429), optional
 * IP allow-list (403), signature (401), body and timestamp (400), invoice lookup (unknown: 200 + audit row), then the
 * payment is confirmed with {@code statusPayment} before anything is credited; the webhook's own status is never trusted.
 * If the provider cannot confirm now, 503 asks it to deliver again and the reconciliation job checks the invoice soon.
 */
@Path("/api/v1/payment/webhook")
public class WebhookResource {

    private final PaymentConfig config;
    private final WebhookRateLimiter limiter;
    private final TopupService topups;
    private final AuditService audit;
    private final PaymentMetrics metrics;
    private final ObjectMapper mapper;

    WebhookResource(PaymentConfig config, WebhookRateLimiter limiter, TopupService topups, AuditService audit,
            ObjectMapper mapper, PaymentMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.limiter = limiter;
        this.topups = topups;
        this.audit = audit;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Map<String, Object>>> receive(byte[] body, @Context HttpServerRequest request,
            @HeaderParam("X-O-Dengi-Signature") String signature, @HeaderParam("X-Timestamp") String timestampHeader) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        List<String> proxies = config.webhook().trustedProxies().orElse(List.of());
        String source = ClientAddress.resolve(peer, request.getHeader("X-Forwarded-For"), proxies);
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return limiter.allow(source)
                .onFailure().invoke(f -> Log.errorf(f, "webhook rate limiter unavailable; refusing"))
                .onFailure().recoverWithItem(false)
                .chain(allowed -> {
                    if (!allowed) {
                        return answer(429, "rate_limited", null, source, text);
                    }
                    return checked(body, text, source, signature, timestampHeader);
                });
    }

    private Uni<RestResponse<Map<String, Object>>> checked(byte[] body, String text, String source, String signature,
            String timestampHeader) {
        if (config.webhook().ipAllowlistEnabled() && !config.webhook().allowedIps().orElse(List.of()).contains(source)) {
            return answer(403, "ip_not_allowed", null, source, text);
        }
        String secret = config.odengi().webhookSecret().filter(s -> !s.isBlank()).orElse(null);
        if (secret == null) {
            Log.error("ODENGI_WEBHOOK_SECRET is not set: every webhook is refused");
            return answer(401, "invalid_signature", null, source, text);
        }
        String given = signature == null ? null : signature.startsWith("sha256=") ? signature.substring(7) : signature;
        if (!OdengiSigner.matches(OdengiSigner.webhookSignature(body == null ? new byte[0] : body, secret), given)) {
            return answer(401, "invalid_signature", null, source, text);
        }
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject() || !json.path("invoice_id").isTextual() || json.path("invoice_id").asText().isBlank()
                || json.path("invoice_id").asText().length() > 128) {
            return answer(400, "malformed", null, source, text);
        }
        Long timestamp = timestampOf(json.get("timestamp"), timestampHeader);
        if (timestamp == null) {
            return answer(400, "missing_timestamp", null, source, text);
        }
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > config.webhook().maxSkew().toSeconds()) {
            return answer(400, "stale_timestamp", null, source, text);
        }
        String invoiceId = json.path("invoice_id").asText();
        return topups.find(invoiceId).chain(topup -> {
            if (topup == null) {
                return answer(200, "payment_not_found", invoiceId, source, text);
            }
            return topups.webhookSeen(invoiceId)
                    .chain(() -> topups.checkWithProvider(topup, "webhook"))
                    .chain(after -> answer(200, "received", invoiceId, source, text))
                    .onFailure().recoverWithUni(f -> {
                        Log.warnf("webhook for %s not confirmed with the provider (%s); reconciliation will retry",
                                invoiceId, f.getClass().getSimpleName());
                        return topups.checkSoon(invoiceId).onFailure().recoverWithNull()
                                .chain(() -> answer(503, "provider_unavailable", invoiceId, source, text));
                    });
        });
    }

    /** The signed body's {@code timestamp} (unix seconds) wins over the unsigned X-Timestamp header. */
    static Long timestampOf(JsonNode fromBody, String header) {
        try {
            if (fromBody != null && fromBody.canConvertToLong()) {
                return fromBody.asLong();
            }
            if (fromBody != null && fromBody.isTextual()) {
                return Long.parseLong(fromBody.asText().trim());
            }
            return header == null ? null : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Uni<RestResponse<Map<String, Object>>> answer(int status, String outcome, String invoiceId, String source,
            String body) {
        metrics.webhook("ODENGI", outcome);
        Map<String, Object> answer = invoiceId == null ? Map.of("status", outcome) : Map.of("status", outcome, "invoice_id", invoiceId);
        return audit.record(new AuditService.Entry("ODENGI", "IN", "webhook", invoiceId, null, source, body, null, outcome))
                .replaceWith(RestResponse.status(RestResponse.Status.fromStatusCode(status), answer));
    }
}
