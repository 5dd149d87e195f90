package kg.evpower.security.config;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The secrets of security-service, read from the environment by name when needed (never logged, never in a body). The
 * prod profile has already refused to start when one is missing or weak (platform {@code SecretsCheck}).
 */
@ApplicationScoped
public class Secrets {

    public static final String SECURITY_SECRET = "EV_SECURITY_SECRET";
    public static final String KEY_ENCRYPTION_SECRET = "EV_KEY_ENCRYPTION_SECRET";
    public static final String ADMIN_KEY = "EV_ADMIN_KEY";

    public Optional<String> find(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).filter(v -> !v.isBlank());
    }

    public String require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException(name + " is not set"));
    }
}
