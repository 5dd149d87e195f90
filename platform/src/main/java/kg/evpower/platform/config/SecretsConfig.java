package kg.evpower.platform.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The secrets a service needs, by environment variable name, e.g. {@code evpower.secrets.required=EV_ADMIN_KEY,EV_...}.
 * The prod profile refuses to start when one breaks the {@link SecretPolicy}.
 */
@ConfigMapping(prefix = "evpower.secrets")
public interface SecretsConfig {

    Optional<List<String>> required();
}
