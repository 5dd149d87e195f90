package kg.evpower.payment.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of payment-service (application.properties, environment variables in docs/payment-service.md). */
@ConfigMapping(prefix = "evpower.payment")
public interface PaymentConfig {

    /** Stream the service's events go to. */
    @WithDefault("evpower.payment.v1")
    String stream();

    /** Largest top-up in som. */
    @WithDefault("100000")
    long maxTopupSom();

    Odengi odengi();

    Webhook webhook();

    Jobs jobs();

    Obank obank();

    RateLimit rateLimit();

    interface RateLimit {
        /** RATE_LIMIT_CRITICAL_PER_MINUTE: top-ups per authenticated client and minute. */
        @WithDefault("10")
        int criticalPerMinute();
    }

    interface Odengi {
        /** {@code live}: the provider at {@link #apiUrl()}; {@code simulator}: the in-process simulator. */
        @WithDefault("live")
        String mode();

        /** Whether the prod profile may run the simulator (never in a real deployment). */
        @WithDefault("false")
        boolean allowSimulatorInProd();

        /** The provider's JSON endpoint (ODENGI_API_URL). */
        Optional<String> apiUrl();

        /** The merchant id ({@code sid}). */
        @WithDefault("evpower-test-merchant")
        String merchantId();

        /** The merchant password: the HMAC-MD5 key of every request. */
        Optional<String> password();

        @WithDefault("ru")
        String lang();

        /** The public URL of {@code /api/v1/payment/webhook}, sent as {@code result_url}; local when unset. */
        Optional<String> resultUrl();

        /** HMAC-SHA256 key of the provider's webhook signature (ODENGI_WEBHOOK_SECRET). */
        Optional<String> webhookSecret();

        @WithDefault("5m")
        Duration qrLifetime();

        @WithDefault("5m")
        Duration invoiceLifetime();

        /** Connect/read timeout of one HTTP call to the provider. */
        @WithDefault("5s")
        Duration httpTimeout();
    }

    interface Webhook {
        /** Requests per minute per source address (RATE_LIMIT_WEBHOOK_PER_MINUTE). */
        @WithDefault("30")
        int ratePerMinute();

        /** Addresses of reverse proxies whose X-Forwarded-For is believed. */
        Optional<List<String>> trustedProxies();

        /** Whether only {@link #allowedIps()} may call the webhook (WEBHOOK_IP_WHITELIST_ENABLED). */
        @WithDefault("false")
        boolean ipAllowlistEnabled();

        /** ODENGI_WEBHOOK_IPS. */
        Optional<List<String>> allowedIps();

        /** How far a webhook's timestamp may be from now. */
        @WithDefault("300s")
        Duration maxSkew();
    }

    interface Jobs {
        @WithDefault("true")
        boolean enabled();

        /** Invoices claimed per job run. */
        @WithDefault("50")
        int batchSize();

        /** Delay between two provider checks of one open invoice. */
        @WithDefault("15s")
        Duration recheckDelay();

        /** Delay after a failed provider call (outage) before the invoice is tried again. */
        @WithDefault("30s")
        Duration outageBackoff();
    }

    interface Obank {
        /** OBANK_ENABLED: card and token payments; off answers {@code not_available}. */
        @WithDefault("false")
        boolean enabled();

        /** OBANK_API_URL: the bank's XML endpoint; https only. */
        Optional<String> apiUrl();

        /** OBANK_CERT_PATH: PKCS#12 client certificate and key for mutual TLS (never in the repository). */
        Optional<String> certPath();

        /** OBANK_CERT_PASSWORD. */
        Optional<String> certPassword();

        /** OBANK_TRUST_STORE_PATH: PKCS#12 with the CA of the bank's server certificate; the JDK's CAs when unset. */
        Optional<String> trustStorePath();

        /** OBANK_TRUST_STORE_PASSWORD. */
        Optional<String> trustStorePassword();

        /** OBANK_POINT_ID. */
        @WithDefault("evpower-test-point")
        String pointId();

        /** OBANK_SERVICE_ID. */
        @WithDefault("evpower-test-service")
        String serviceId();

        /** OBANK_WEBHOOK_SECRET: HMAC-SHA256 key of the bank's notification signature. */
        Optional<String> webhookSecret();

        /** OBANK_WEBHOOK_IPS: the only sources the notification is accepted from (empty: none). */
        Optional<List<String>> webhookIps();

        /** Connect and idle timeout of one call to the bank. */
        @WithDefault("10s")
        Duration timeout();
    }
}
