package kg.evpower.platform.logging;

import java.util.logging.Handler;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/** Switches the console to {@link JsonLogFormatter} when {@code evpower.log.json} is on (the prod profile's default). */
@ApplicationScoped
public class JsonLogging {

    void onStart(@Observes @Priority(0) StartupEvent event, @ConfigProperty(name = "evpower.log.json") boolean json) {
        if (!json) {
            return;
        }
        JsonLogFormatter formatter = new JsonLogFormatter();
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            install(handler, formatter);
        }
    }

    private static void install(Handler handler, JsonLogFormatter formatter) {
        if (handler instanceof org.jboss.logmanager.ExtHandler ext) {
            for (Handler child : ext.getHandlers()) {
                install(child, formatter);
            }
        }
        if (handler.getClass().getSimpleName().contains("Console")) {
            handler.setFormatter(formatter);
        }
    }
}
