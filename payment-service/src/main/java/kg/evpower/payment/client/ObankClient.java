package kg.evpower.payment.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import kg.evpower.payment.config.PaymentConfig;
import kg.evpower.payment.domain.Card;
import kg.evpower.payment.service.AuditService;

/**
 * OBANK's XML API over mutual TLS (PKCS#12 client certificate from OBANK_CERT_PATH / OBANK_CERT_PASSWORD, https only).
 * The store is read and checked at start-up; with OBANK_ENABLED=true and anything missing the service does not start.
 * Every call is a {@code payment_audit} row with the masked request (first 6 / last 4 of the card number, no CVV, no
 * holder or expiry) and a summary of the answer, never the raw card data. Payments are not retried (not idempotent at
 * the bank as far as we know); a status query is.
 */
@ApplicationScoped
public class ObankClient {

    private final PaymentConfig config;
    private final AuditService audit;
    private final Vertx vertx;
    private volatile HttpClient client;
    private volatile ObankTls.Material material;

    ObankClient(PaymentConfig config, AuditService audit, Vertx vertx) {
        this.config = config;
        this.audit = audit;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.obank().enabled()) {
            return;
        }
        // Blocking file I/O and key store parsing happen here, on the start-up thread, once.
        material = ObankTls.load(config.obank());
        int timeout = (int) config.obank().timeout().toMillis();
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setKeyCertOptions(material.keyStore()).setConnectTimeout(timeout).setMaxPoolSize(16)
                .setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.2", "TLSv1.3"));
        if (material.trustStore() != null) {
            options.setTrustOptions(material.trustStore());
        }
        client = vertx.createHttpClient(options);
        Log.infof("OBANK enabled: mutual TLS to %s", material.endpoint().getHost());
    }

    /** The bank's answer could not be had (transport, timeout, 5xx): the outcome is unknown. */
    public static class ObankUnavailable extends RuntimeException {
        public ObankUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** The bank answered with something that is not a valid result (4xx, unparsable XML). */
    public static class ObankRejected extends RuntimeException {
        public ObankRejected(String message) {
            super(message, null, false, false);
        }
    }

    public Uni<ObankXml.Result> pay(String orderId, String clientId, long amount, Card card) {
        String point = config.obank().pointId();
        String service = config.obank().serviceId();
        return call("", "h2hPayment", ObankXml.payment(point, service, orderId, clientId, amount, card, null, false),
                ObankXml.payment(point, service, orderId, clientId, amount, card, null, true), orderId, clientId);
    }

    public Uni<ObankXml.Result> payWithToken(String orderId, String clientId, long amount, String token) {
        String point = config.obank().pointId();
        String service = config.obank().serviceId();
        return call("/token-payment", "tokenPayment",
                ObankXml.payment(point, service, orderId, clientId, amount, null, token, false),
                ObankXml.payment(point, service, orderId, clientId, amount, null, token, true), orderId, clientId);
    }

    public Uni<ObankXml.Result> storeCard(String clientId, Card card) {
        String point = config.obank().pointId();
        String service = config.obank().serviceId();
        return call("/token-Create", "createToken", ObankXml.storeCard(point, service, clientId, card, false),
                ObankXml.storeCard(point, service, clientId, card, true), null, clientId);
    }

    public Uni<ObankXml.Result> status(String orderId, String clientId) {
        String body = ObankXml.status(config.obank().pointId(), orderId);
        return call("/h2hstatus", "status", body, body, orderId, clientId)
                .onFailure(ObankUnavailable.class).retry().atMost(2);
    }

    private Uni<ObankXml.Result> call(String suffix, String operation, String body, String masked, String orderId,
            String clientId) {
        HttpClient http = client;
        if (http == null) {
            return Uni.createFrom().failure(new IllegalStateException("OBANK is not enabled"));
        }
        int timeout = (int) config.obank().timeout().toMillis();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(material.endpoint().toString() + suffix).setIdleTimeout(timeout)
                .putHeader("Content-Type", "application/xml; charset=UTF-8");
        return http.request(request)
                .chain(r -> r.send(body))
                .chain(response -> response.body().map(buffer -> {
                    int status = response.statusCode();
                    if (status >= 500) {
                        throw new ObankUnavailable("OBANK answered HTTP " + status);
                    }
                    if (status >= 300) {
                        throw new ObankRejected("OBANK answered HTTP " + status);
                    }
                    try {
                        return ObankXml.result(buffer.toString());
                    } catch (ObankXml.MalformedXml e) {
                        throw new ObankRejected("OBANK's answer is not a result: " + e.getMessage());
                    }
                }))
                .onFailure(f -> !(f instanceof ObankRejected || f instanceof ObankUnavailable))
                .transform(f -> new ObankUnavailable("OBANK not reachable (" + f.getClass().getSimpleName() + ")"))
                .onItemOrFailure().call((result, failure) -> audit.record(new AuditService.Entry("OBANK", "OUT", operation,
                        orderId, clientId, null, masked, result == null ? null : summary(result),
                        failure == null ? (result.declined() ? "declined" : "ok") : failure.getClass().getSimpleName())));
    }

    /** The answer as audited: codes and ids only (a token is shortened). */
    static String summary(ObankXml.Result r) {
        String token = r.token() == null ? null : r.token().length() <= 8 ? "***"
                : r.token().substring(0, 4) + "***" + r.token().substring(r.token().length() - 4);
        return "code=" + r.code() + " state=" + r.state() + " trans=" + r.transaction() + " sum=" + r.amount()
                + (token == null ? "" : " token=" + token);
    }
}
