package kg.evpower.payment.obank;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import kg.evpower.payment.client.ObankTls;
import kg.evpower.payment.config.PaymentConfig;

/** Start-up checks of OBANK_ENABLED=true: each missing or wrong setting stops the start, naming the variable. */
class ObankTlsTest {

    record Obank(Optional<String> apiUrl, Optional<String> certPath, Optional<String> certPassword,
            Optional<String> trustStorePath, Optional<String> trustStorePassword, Optional<String> webhookSecret)
            implements PaymentConfig.Obank {
        public boolean enabled() {
            return true;
        }

        public String pointId() {
            return "p";
        }

        public String serviceId() {
            return "s";
        }

        public Optional<List<String>> webhookIps() {
            return Optional.empty();
        }

        public Duration timeout() {
            return Duration.ofSeconds(1);
        }
    }

    static final TestCerts CERTS = TestCerts.shared();

    static Obank good() {
        return new Obank(Optional.of("https://127.0.0.1:1/obank"), Optional.of(CERTS.client().toString()),
                Optional.of(CERTS.password()), Optional.empty(), Optional.empty(), Optional.of("secret"));
    }

    private static String refusal(Obank config) {
        return assertThrows(IllegalStateException.class, () -> ObankTls.load(config)).getMessage();
    }

    @Test
    void aCompleteConfigurationLoads() {
        var material = ObankTls.load(good());
        assertNotNull(material.keyStore());
        assertNull(material.trustStore());
        var withTrust = new Obank(good().apiUrl(), good().certPath(), good().certPassword(),
                Optional.of(CERTS.trust().toString()), Optional.of(CERTS.password()), good().webhookSecret());
        assertNotNull(ObankTls.load(withTrust).trustStore());
    }

    @Test
    void eachMissingOrWrongSettingIsNamed() {
        Obank g = good();
        assertTrue(refusal(new Obank(Optional.empty(), g.certPath(), g.certPassword(), Optional.empty(), Optional.empty(),
                g.webhookSecret())).contains("OBANK_API_URL"));
        assertTrue(refusal(new Obank(Optional.of("http://127.0.0.1:1/obank"), g.certPath(), g.certPassword(), Optional.empty(),
                Optional.empty(), g.webhookSecret())).contains("https"));
        assertTrue(refusal(new Obank(g.apiUrl(), Optional.empty(), g.certPassword(), Optional.empty(), Optional.empty(),
                g.webhookSecret())).contains("OBANK_CERT_PATH is not set"));
        assertTrue(refusal(new Obank(g.apiUrl(), Optional.of(" "), g.certPassword(), Optional.empty(), Optional.empty(),
                g.webhookSecret())).contains("OBANK_CERT_PATH"));
        assertTrue(refusal(new Obank(g.apiUrl(), g.certPath(), Optional.empty(), Optional.empty(), Optional.empty(),
                g.webhookSecret())).contains("OBANK_CERT_PASSWORD is not set"));
        assertTrue(refusal(new Obank(g.apiUrl(), g.certPath(), Optional.of("wrong-password"), Optional.empty(),
                Optional.empty(), g.webhookSecret())).contains("OBANK_CERT_PASSWORD is wrong"));
        assertTrue(refusal(new Obank(g.apiUrl(), Optional.of(CERTS.dir().resolve("missing.p12").toString()), g.certPassword(),
                Optional.empty(), Optional.empty(), g.webhookSecret())).contains("OBANK_CERT_PATH cannot be read"));
        assertTrue(refusal(new Obank(g.apiUrl(), Optional.of(CERTS.trust().toString()), g.certPassword(), Optional.empty(),
                Optional.empty(), g.webhookSecret())).contains("no private key"));
        assertTrue(refusal(new Obank(g.apiUrl(), g.certPath(), g.certPassword(), Optional.of(CERTS.trust().toString()),
                Optional.empty(), g.webhookSecret())).contains("OBANK_TRUST_STORE_PASSWORD"));
        assertTrue(refusal(new Obank(g.apiUrl(), g.certPath(), g.certPassword(), Optional.empty(), Optional.empty(),
                Optional.empty())).contains("OBANK_WEBHOOK_SECRET"));
    }
}
