package kg.evpower.payment.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Optional;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PfxOptions;
import kg.evpower.payment.config.PaymentConfig;

/**
 * Checks and loads OBANK's mutual-TLS material at start-up (blocking file I/O, never on the event loop). Every refusal
 * names the environment variable to fix.
 */
public final class ObankTls {

    /** The client identity (PKCS#12 with key), the optional trust store and the https endpoint. */
    public record Material(PfxOptions keyStore, PfxOptions trustStore, URI endpoint) {
    }

    private ObankTls() {
    }

    public static Material load(PaymentConfig.Obank config) {
        String url = required(config.apiUrl(), "OBANK_API_URL");
        URI endpoint;
        try {
            endpoint = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("OBANK_API_URL is not a URL");
        }
        if (!"https".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new IllegalStateException("OBANK_API_URL must be an https:// URL (OBANK is reached over mutual TLS only)");
        }
        String certPath = required(config.certPath(), "OBANK_CERT_PATH");
        String certPassword = required(config.certPassword(), "OBANK_CERT_PASSWORD");
        required(config.webhookSecret(), "OBANK_WEBHOOK_SECRET");
        PfxOptions key = pkcs12(certPath, certPassword, "OBANK_CERT_PATH", "OBANK_CERT_PASSWORD", true);
        PfxOptions trust = null;
        if (config.trustStorePath().filter(s -> !s.isBlank()).isPresent()) {
            trust = pkcs12(config.trustStorePath().get(), required(config.trustStorePassword(), "OBANK_TRUST_STORE_PASSWORD"),
                    "OBANK_TRUST_STORE_PATH", "OBANK_TRUST_STORE_PASSWORD", false);
        }
        return new Material(key, trust, endpoint);
    }

    private static String required(Optional<String> value, String variable) {
        return value.filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalStateException("OBANK_ENABLED=true but " + variable + " is not set"));
    }

    private static PfxOptions pkcs12(String path, String password, String pathVariable, String passwordVariable,
            boolean needsKey) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(pathVariable + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password.toCharArray());
            boolean hasKey = false;
            boolean hasCert = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
                hasCert |= store.isCertificateEntry(alias) || store.getCertificate(alias) != null;
            }
            if (needsKey && !hasKey) {
                throw new IllegalStateException(pathVariable + " holds no private key (a PKCS#12 client certificate is needed)");
            }
            if (!hasCert) {
                throw new IllegalStateException(pathVariable + " holds no certificate");
            }
        } catch (IOException e) {
            throw new IllegalStateException(pathVariable + " is not a PKCS#12 store or " + passwordVariable + " is wrong");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(pathVariable + " cannot be loaded (" + e.getClass().getSimpleName() + ")");
        }
        return new PfxOptions().setValue(Buffer.buffer(bytes)).setPassword(password);
    }
}
