package kg.evpower.platform.http;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/** The prod profile refuses a CORS origin allow-list of {@code *}: browsers' origins must be named. */
@ApplicationScoped
public class HttpConfigCheck {

    void onStart(@Observes @Priority(2) StartupEvent event,
            @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins) {
        if (!ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        if (allowsEveryOrigin(origins.orElse(List.of()))) {
            Log.error("Refusing to start: EVPOWER_CORS_ORIGINS allows every origin (*); name the app's origins");
            throw new IllegalStateException("Refusing to start in the prod profile: CORS allows every origin");
        }
    }

    /** Whether the allow-list lets every origin in: {@code *}, or the regular expression {@code /.*}{@code /}. */
    static boolean allowsEveryOrigin(List<String> origins) {
        return origins.stream().map(String::trim).anyMatch(o -> o.equals("*") || o.equals("/.*/"));
    }
}
