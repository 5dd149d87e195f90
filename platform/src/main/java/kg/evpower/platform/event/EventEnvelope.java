package kg.evpower.platform.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one envelope every event between services travels in (ARCHITECTURE.md, "How they talk"): stored as a JSON string in
 * the field {@code event} of a Redis stream entry. {@code id} is the deduplication key of every consumer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(
        UUID id,
        String type,
        int version,
        Instant occurredAt,
        String source,
        String subject,
        String correlationId,
        JsonNode data) {

    /** The name of the stream entry field holding the envelope JSON. */
    public static final String FIELD = "event";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("event type is required");
        }
        if (version < 1) {
            throw new IllegalArgumentException("event version must be >= 1");
        }
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("event source is required");
        }
    }
}
