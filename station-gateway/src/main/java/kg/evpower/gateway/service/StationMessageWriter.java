package kg.evpower.gateway.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.sql.GroupCommit;

/**
 * The station messages kept in {@code station_message} (Authorize, DataTransfer, SecurityEventNotification, a stop of
 * an unknown transaction), each with its answer and, when it has one, its event, written by group commit (issue 9):
 * under load one statement carries the messages of many stations, as for MeterValues. The station is answered once
 * the statement holding its message has committed.
 */
@ApplicationScoped
public class StationMessageWriter {

    /** The messages and their events in one statement (committed on its own, no BEGIN and COMMIT round trips). */
    private static final String INSERT = """
            WITH message AS (
                INSERT INTO station_message (station_id, action, payload, answer)
                SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::text[]::jsonb[], $4::text[]::jsonb[]))
            """ + Outbox.insertAllStatement(5);

    /** One message of one station, with its answer, and its event's type and data (both null when it has none). */
    record Unit(String chargePointId, String action, String payloadJson, String answerJson, String eventType,
            Object eventData) {
    }

    private final Outbox outbox;
    private final GroupCommit<Unit> commits;

    StationMessageWriter(io.vertx.mutiny.sqlclient.Pool pool, Outbox outbox, MeterRegistry registry,
            @ConfigProperty(name = "evpower.gateway.messages.max-batch", defaultValue = "200") int maxBatch,
            @ConfigProperty(name = "evpower.gateway.messages.max-in-flight", defaultValue = "1") int maxInFlight,
            @ConfigProperty(name = "evpower.gateway.messages.linger", defaultValue = "3ms") Duration linger) {
        this.outbox = outbox;
        this.commits = GroupCommit.<Unit>singleStatement("station_messages", pool.getDelegate(), this::write, maxBatch,
                maxInFlight, registry).lingering(linger);
    }

    /**
     * Completes once the message (and its event, when {@code eventType} is given) is committed; fails with the
     * database's error, and then neither is written.
     */
    public Future<Void> write(String chargePointId, String action, String payloadJson, String answerJson,
            String eventType, Object eventData) {
        return commits.submit(new Unit(chargePointId, action, payloadJson, answerJson, eventType, eventData));
    }

    private Future<Void> write(SqlClient client, List<Unit> units) {
        int size = units.size();
        String[] stations = new String[size];
        String[] actions = new String[size];
        String[] payloads = new String[size];
        String[] answers = new String[size];
        List<Outbox.Pending> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Unit unit = units.get(i);
            stations[i] = unit.chargePointId();
            actions[i] = unit.action();
            payloads[i] = unit.payloadJson();
            answers[i] = unit.answerJson();
            if (unit.eventType() != null) {
                events.add(new Outbox.Pending(GatewayEvents.STREAM, unit.eventType(), unit.chargePointId(),
                        unit.eventData()));
            }
        }
        return client.preparedQuery(INSERT).execute(Tuple.from(outbox.parameters(events, stations, actions, payloads,
                answers))).mapEmpty();
    }
}
