package kg.evpower.platform.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Stops a prod start-up whose secrets break the {@link SecretPolicy}; the log says which and why, never the values. */
@ApplicationScoped
public class SecretsCheck {

    private final SecretsConfig secrets;

    SecretsCheck(SecretsConfig secrets) {
        this.secrets = secrets;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (!ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        Map<String, String> values = new HashMap<>();
        for (String name : secrets.required().orElse(List.of())) {
            values.put(name, config.getOptionalValue(name, String.class).orElse(null));
        }
        List<String> violations = SecretPolicy.violations(values);
        if (!violations.isEmpty()) {
            violations.forEach(v -> Log.errorf("Refusing to start: %s", v));
            throw new IllegalStateException("Refusing to start in the prod profile: " + String.join("; ", violations));
        }
    }
}
