package kg.evpower.platform.probe;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import kg.evpower.platform.event.EventEnvelope;
import kg.evpower.platform.event.Outbox;

@ApplicationScoped
public class ProbeService {

    public static final String STREAM = "evpower.platform-test.v1";

    private final Outbox outbox;

    ProbeService(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Stores an item and its event in one transaction; {@code failAfter} rolls both back. */
    @WithTransaction
    public Uni<EventEnvelope> create(String name, boolean failAfter) {
        ProbeItem item = new ProbeItem();
        item.name = name;
        item.createdAt = Instant.now();
        return Panache.getSession().chain(s -> s.persist(item))
                .chain(() -> outbox.append(STREAM, "probe.item.created", name, Map.of("name", name)))
                .invoke(() -> {
                    if (failAfter) {
                        throw new IllegalStateException("simulated failure after the event was written");
                    }
                });
    }
}
