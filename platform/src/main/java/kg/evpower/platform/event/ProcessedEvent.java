package kg.evpower.platform.event;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** An event a consumer group has applied (written by {@link StreamConsumer} in the transaction of the effect). */
@Entity
@Table(name = "processed_event")
@IdClass(ProcessedEvent.Key.class)
public class ProcessedEvent {

    @Id
    @Column(name = "consumer_group", length = 200)
    public String consumerGroup;

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(nullable = false, length = 200)
    public String stream;

    @Column(name = "event_type", nullable = false, length = 200)
    public String eventType;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    public static class Key implements Serializable {
        public String consumerGroup;
        public UUID eventId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(consumerGroup, k.consumerGroup) && Objects.equals(eventId, k.eventId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(consumerGroup, eventId);
        }
    }
}
