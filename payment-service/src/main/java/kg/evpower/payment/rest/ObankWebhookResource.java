package kg.evpower.payment.rest;

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

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import kg.evpower.payment.client.ObankClient;
import kg.evpower.payment.client.ObankXml;
import kg.evpower.payment.client.OdengiSigner;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.metrics.PaymentMetrics;
import kg.evpower.payment.service.AuditService;
import kg.evpower.payment.service.ObankService;
import kg.evpower.payment.service.TopupService;
import kg.evpower.payment.service.WebhookRateLimiter;

/**
 * OBANK's payment notification (public, no user token; only with OBANK_ENABLED). In order: rate limit per real source
 * (429), IP allow-list OBANK_WEBHOOK_IPS — always on, empty refuses everyone (403) —, {@code X-Obank-Signature}
 * (optionally {@code sha256=}) = hex HMAC-SHA256 of the raw body under OBANK_WEBHOOK_SECRET (401), XML
 * {@code <notification><payment id=…/></notification>} read with StAX, no DTD (400), unknown order (200
 * {@code payment_not_found}); then the bank's status query confirms before anything is credited. The audit keeps a
 * summary of the parsed notification, never the raw body.
 */
@Path("/api/v1/payment/obank/webhook")
public class ObankWebhookResource {

    private final PaymentConfig config;
    private final WebhookRateLimiter limiter;
    private final TopupService topups;
    private final ObankService obank;
    private final AuditService audit;
    private final PaymentMetrics metrics;

    ObankWebhookResource(PaymentConfig config, WebhookRateLimiter limiter, TopupService topups, ObankService obank,
            AuditService audit, PaymentMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.limiter = limiter;
        this.topups = topups;
        this.obank = obank;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Map<String, Object>>> receive(byte[] body, @Context HttpServerRequest request,
            @HeaderParam("X-Obank-Signature") String signature) {
        if (!config.obank().enabled()) {
            metrics.webhook("OBANK", "not_available");
            return Uni.createFrom().item(RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE,
                    Map.of("status", "not_available")));
        }
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String source = ClientAddress.resolve(peer, request.getHeader("X-Forwarded-For"),
                config.webhook().trustedProxies().orElse(List.of()));
        byte[] raw = body == null ? new byte[0] : body;
        return limiter.allow("obank:" + source)
                .onFailure().invoke(f -> Log.errorf("OBANK webhook rate limiter unavailable (%s); refusing",
                        f.getClass().getSimpleName()))
                .onFailure().recoverWithItem(false)
                .chain(allowed -> allowed ? checked(raw, source, signature) : answer(429, "rate_limited", null, source, null));
    }

    private Uni<RestResponse<Map<String, Object>>> checked(byte[] body, String source, String signature) {
        if (!config.obank().webhookIps().orElse(List.of()).contains(source)) {
            return answer(403, "ip_not_allowed", null, source, null);
        }
        String secret = config.obank().webhookSecret().filter(s -> !s.isBlank()).orElse(null);
        String given = signature == null ? null : signature.startsWith("sha256=") ? signature.substring(7) : signature;
        if (secret == null || !OdengiSigner.matches(OdengiSigner.webhookSignature(body, secret), given)) {
            return answer(401, "invalid_signature", null, source, null);
        }
        ObankXml.Result notified;
        try {
            notified = ObankXml.notification(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (ObankXml.MalformedXml e) {
            return answer(400, "malformed", null, source, e.getMessage());
        }
        String orderId = notified.orderId();
        String summary = "id=" + orderId + " state=" + notified.state() + " sum=" + notified.amount();
        return topups.find(orderId).chain(topup -> {
            if (topup == null || !"OBANK".equals(topup.provider())) {
                return answer(200, "payment_not_found", orderId, source, summary);
            }
            return topups.webhookSeen(orderId)
                    .chain(() -> obank.confirm(topup, "webhook"))
                    .chain(after -> answer(200, "received", orderId, source, summary))
                    .onFailure().recoverWithUni(f -> {
                        Log.warnf("OBANK notification for %s not confirmed (%s)", orderId, f.getClass().getSimpleName());
                        int status = f instanceof ObankClient.ObankRejected ? 502 : 503;
                        return answer(status, "provider_unavailable", orderId, source, summary);
                    });
        });
    }

    private Uni<RestResponse<Map<String, Object>>> answer(int status, String outcome, String orderId, String source,
            String summary) {
        metrics.webhook("OBANK", outcome);
        Map<String, Object> answer = orderId == null ? Map.of("status", outcome) : Map.of("status", outcome, "invoice_id", orderId);
        return audit.record(new AuditService.Entry("OBANK", "IN", "webhook", orderId, null, source, summary, null, outcome))
                .replaceWith(RestResponse.status(RestResponse.Status.fromStatusCode(status), answer));
    }
}
