package kg.evpower.platform.event;

import io.smallrye.mutiny.Uni;

/**
 * A bean that applies the events of one stream in this service. Every handler bean gets its own consumer (group = this
 * service's name, see {@link EventConsumers}). {@link #handle} runs inside the database transaction that also records the
 * event as processed, so its database effects happen exactly once; it should ignore event types it does not know.
 */
public interface EventHandler {

    /** The stream this handler consumes, e.g. {@code evpower.gateway.v1}. */
    String stream();

    Uni<Void> handle(EventEnvelope event);
}
