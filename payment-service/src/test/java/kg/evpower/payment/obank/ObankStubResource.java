package kg.evpower.payment.obank;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the mutual-TLS OBANK stub before the application and points the enabled OBANK client at it. */
public class ObankStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String WEBHOOK_SECRET = "test-only-obank-webhook-secret-000001";

    public static volatile ObankStub stub;
    public static volatile TestCerts certs;

    @Override
    public Map<String, String> start() {
        certs = TestCerts.shared();
        stub = new ObankStub();
        int port = stub.start(certs);
        Map<String, String> config = new java.util.HashMap<>(Map.of("evpower.payment.obank.enabled", "true",
                "evpower.payment.obank.api-url", "https://127.0.0.1:" + port + "/obank",
                "evpower.payment.obank.cert-path", certs.client().toString(),
                "evpower.payment.obank.cert-password", certs.password(),
                "evpower.payment.obank.trust-store-path", certs.trust().toString(),
                "evpower.payment.obank.trust-store-password", certs.password(),
                "evpower.payment.obank.webhook-secret", WEBHOOK_SECRET,
                "evpower.payment.obank.webhook-ips", "127.0.0.1",
                "evpower.payment.webhook.trusted-proxies", "127.0.0.1"));
        config.putAll(Map.of(                "evpower.payment.obank.timeout", "5s",
                "quarkus.log.category.\"kg.evpower\".level", "DEBUG"));
        return config;
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.stop();
        }
    }
}
