package kg.evpower.platform.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.config.EventsConfig;
import kg.evpower.platform.correlation.CorrelationId;
import kg.evpower.platform.sql.SqlTransaction;

/**
 * Records an event in the current database transaction: a Hibernate Reactive one, or a plain-SQL
 * {@link SqlTransaction}. The event exists if and only if the transaction commits; the
 * {@link OutboxRelay} publishes it afterwards. Calling it outside a transaction is a programming error.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "INSERT INTO outbox_event (event_id, stream, event_type, subject, payload, "
            + "created_at) VALUES ($1, $2, $3, $4, $5, $6)";

    private static final String INSERT_ALL = insertAllStatement(1);

    /** An event of version 1 to write with others by {@link #appendAll}. */
    public record Pending(String stream, String type, String subject, Object data) {
    }

    private final ObjectMapper mapper;
    private final EventsConfig config;

    Outbox(ObjectMapper mapper, EventsConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    /** Appends an event of version 1 about {@code subject} to {@code stream}; {@code data} is serialised as JSON. */
    public Uni<EventEnvelope> append(String stream, String type, String subject, Object data) {
        return append(stream, type, 1, subject, data);
    }

    public Uni<EventEnvelope> append(String stream, String type, int version, String subject, Object data) {
        EventEnvelope envelope = envelope(type, version, subject, data);
        SqlConnection connection = SqlTransaction.current();
        if (connection != null) {
            // a plain-SQL transaction (SqlTransaction.run): the same row, written on its connection
            return connection.preparedQuery(INSERT).execute(Tuple.from(new Object[] {envelope.id(), stream, type,
                            subject, toJson(envelope), OffsetDateTime.ofInstant(envelope.occurredAt(), ZoneOffset.UTC)}))
                    .replaceWith(envelope);
        }
        return Uni.createFrom().deferred(Panache::currentTransaction).onFailure().recoverWithNull().chain(tx -> {
            if (tx == null) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "Outbox.append must run inside the transaction of the state change it reports"));
            }
            OutboxEvent row = new OutboxEvent();
            row.eventId = envelope.id();
            row.stream = stream;
            row.eventType = type;
            row.subject = subject;
            row.payload = toJson(envelope);
            row.createdAt = envelope.occurredAt();
            return Panache.getSession().chain(session -> session.persist(row)).replaceWith(envelope);
        });
    }

    /**
     * Appends several events with one statement on {@code connection}, which must be inside the transaction of the
     * state change they report (a {@link kg.evpower.platform.sql.GroupCommit} batch, say). Plain Vert.x, no Mutiny.
     */
    public io.vertx.core.Future<Void> appendAll(io.vertx.sqlclient.SqlConnection connection, List<Pending> events) {
        if (events.isEmpty()) {
            return io.vertx.core.Future.succeededFuture();
        }
        return connection.preparedQuery(INSERT_ALL).execute(io.vertx.sqlclient.Tuple.from(parameters(events)))
                .mapEmpty();
    }

    /**
     * The statement that inserts the events given by {@link #parameters}, as six arrays from parameter {@code $first}
     * on: the main statement of a single statement that writes the state change in a data-modifying {@code WITH}
     * clause before it, so that the change and its events commit together without a transaction around them.
     */
    public static String insertAllStatement(int first) {
        return "INSERT INTO outbox_event (event_id, stream, event_type, subject, payload, created_at) SELECT * FROM "
                + "unnest($" + first + "::uuid[], $" + (first + 1) + "::varchar[], $" + (first + 2) + "::varchar[], $"
                + (first + 3) + "::varchar[], $" + (first + 4) + "::text[], $" + (first + 5) + "::timestamptz[])";
    }

    /**
     * The parameters of a statement that ends in {@link #insertAllStatement}{@code (leading.length + 1)}: the
     * {@code leading} ones (the state change's), then the six arrays of {@code events} (ids, streams, types, subjects,
     * payloads and times). A single array as the only leading parameter must be passed as {@code (Object) array}.
     */
    public Object[] parameters(List<Pending> events, Object... leading) {
        int size = events.size();
        UUID[] ids = new UUID[size];
        String[] streams = new String[size];
        String[] types = new String[size];
        String[] subjects = new String[size];
        String[] payloads = new String[size];
        OffsetDateTime[] created = new OffsetDateTime[size];
        Instant now = Instant.now();
        String correlationId = CorrelationId.current();
        for (int i = 0; i < size; i++) {
            Pending event = events.get(i);
            ids[i] = UUID.randomUUID();
            streams[i] = event.stream();
            types[i] = event.type();
            subjects[i] = event.subject();
            payloads[i] = toJson(new Written(ids[i], event.type(), 1, now, config.source(), event.subject(),
                    correlationId, event.data()));
            created[i] = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        }
        Object[] parameters = Arrays.copyOf(leading, leading.length + 6);
        System.arraycopy(new Object[] {ids, streams, types, subjects, payloads, created}, 0, parameters, leading.length,
                6);
        return parameters;
    }

    private EventEnvelope envelope(String type, int version, String subject, Object data) {
        return new EventEnvelope(UUID.randomUUID(), type, version, Instant.now(), config.source(), subject,
                CorrelationId.current(), data == null ? null : mapper.valueToTree(data));
    }

    /**
     * An {@link EventEnvelope} as written by {@link #parameters}: the same JSON, with {@code data} written straight
     * from its object rather than through a tree first (a cost on every event of the hot station messages).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Written(UUID id, String type, int version, Instant occurredAt, String source, String subject,
            String correlationId, Object data) {
    }

    String toJson(Object envelope) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON", e);
        }
    }

    /** The {@code data} of an event read back as a record or class. */
    public <T> T dataOf(EventEnvelope envelope, Class<T> type) {
        JsonNode data = envelope.data();
        try {
            return mapper.treeToValue(data, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not a " + type.getSimpleName(), e);
        }
    }
}
