package kg.evpower.gateway.event;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.gateway.service.SecurityChanges;
import kg.evpower.platform.event.EventEnvelope;
import kg.evpower.platform.event.EventHandler;

/**
 * Consumes {@code evpower.security.v1}. The group delivers each event to one gateway replica only, so this handler just
 * broadcasts the change to every replica ({@link SecurityChanges}), each of which acts on its own sockets and cache.
 */
@ApplicationScoped
public class SecurityEventHandler implements EventHandler {

    public static final String STREAM = "evpower.security.v1";

    private final SecurityChanges changes;

    SecurityEventHandler(SecurityChanges changes) {
        this.changes = changes;
    }

    @Override
    public String stream() {
        return STREAM;
    }

    @Override
    public Uni<Void> handle(EventEnvelope event) {
        if (!event.type().startsWith("security.") || event.data() == null || !event.data().hasNonNull("cpId")) {
            return Uni.createFrom().voidItem();
        }
        String cpId = event.data().get("cpId").asText();
        String status = event.data().path("status").asText(null);
        String previous = event.data().path("previousStatus").asText(null);
        return changes.publish(new SecurityChanges.Change(cpId, event.type(), status, previous));
    }
}
