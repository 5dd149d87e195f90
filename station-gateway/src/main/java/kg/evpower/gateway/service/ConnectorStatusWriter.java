package kg.evpower.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.gateway.ocpp.message.StatusNotificationRequest;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.sql.GroupCommit;

/**
 * StatusNotification, the second most frequent station message: the connector's status and a
 * {@code ConnectorStatusChanged} event, written by group commit (issue 9). A station has one message in work at a time,
 * so a batch holds at most one status per station; its rows are written in station and connector order. The station's
 * last-message time is not written here: any traffic refreshes it at most every 30 s (OcppSocketHandler), which is what
 * offline detection needs, and an update of the station row per status cost PostgreSQL a non-HOT update each.
 */
@ApplicationScoped
public class ConnectorStatusWriter {

    /** The statuses and their events in one statement (committed on its own, no BEGIN and COMMIT round trips). */
    private static final String UPSERT = """
            WITH status AS (
                INSERT INTO connector_status (station_id, connector_id, status, error_code, info, vendor_id,
                    vendor_error_code, status_at, updated_at)
                SELECT u.*, now() FROM unnest($1::varchar[], $2::int[], $3::varchar[], $4::varchar[], $5::varchar[],
                    $6::varchar[], $7::varchar[], $8::timestamptz[]) AS u
                ON CONFLICT (station_id, connector_id) DO UPDATE SET status = excluded.status,
                    error_code = excluded.error_code, info = excluded.info, vendor_id = excluded.vendor_id,
                    vendor_error_code = excluded.vendor_error_code, status_at = excluded.status_at, updated_at = now())
            """ + Outbox.insertAllStatement(9);

    /** One StatusNotification of one station, with the time it reports (the station's, or when it arrived). */
    record Unit(String chargePointId, StatusNotificationRequest status, Instant at) {
    }

    private final Outbox outbox;
    private final GroupCommit<Unit> commits;

    ConnectorStatusWriter(io.vertx.mutiny.sqlclient.Pool pool, Outbox outbox, MeterRegistry registry,
            @ConfigProperty(name = "evpower.gateway.status.max-batch", defaultValue = "200") int maxBatch,
            @ConfigProperty(name = "evpower.gateway.status.max-in-flight", defaultValue = "1") int maxInFlight,
            @ConfigProperty(name = "evpower.gateway.status.linger", defaultValue = "3ms") Duration linger) {
        this.outbox = outbox;
        this.commits = GroupCommit.<Unit>singleStatement("connector_status", pool.getDelegate(), this::write, maxBatch,
                maxInFlight, registry).lingering(linger);
    }

    /** Completes once the status and its event are committed. */
    public Future<Void> write(String chargePointId, StatusNotificationRequest status) {
        Instant at = status.timestamp() != null ? status.timestamp() : Instant.now();
        return commits.submit(new Unit(chargePointId, status, at));
    }

    private Future<Void> write(SqlClient client, List<Unit> batch) {
        List<Unit> units = new ArrayList<>(batch);
        units.sort(Comparator.comparing(Unit::chargePointId).thenComparingInt(unit -> unit.status().connectorId()));
        int size = units.size();
        String[] stations = new String[size];
        Integer[] connectors = new Integer[size];
        String[] statuses = new String[size];
        String[] errors = new String[size];
        String[] infos = new String[size];
        String[] vendors = new String[size];
        String[] vendorErrors = new String[size];
        OffsetDateTime[] times = new OffsetDateTime[size];
        List<Outbox.Pending> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Unit unit = units.get(i);
            StatusNotificationRequest status = unit.status();
            stations[i] = unit.chargePointId();
            connectors[i] = status.connectorId();
            statuses[i] = status.status();
            errors[i] = status.errorCode();
            infos[i] = status.info();
            vendors[i] = status.vendorId();
            vendorErrors[i] = status.vendorErrorCode();
            times[i] = OffsetDateTime.ofInstant(unit.at(), ZoneOffset.UTC);
            events.add(new Outbox.Pending(GatewayEvents.STREAM, GatewayEvents.CONNECTOR_STATUS_CHANGED,
                    unit.chargePointId(), new GatewayEvents.ConnectorStatusChanged(unit.chargePointId(),
                            status.connectorId(), status.status(), status.errorCode(), status.info(),
                            status.vendorErrorCode(), unit.at())));
        }
        return client.preparedQuery(UPSERT).execute(Tuple.from(outbox.parameters(events, stations, connectors,
                statuses, errors, infos, vendors, vendorErrors, times))).mapEmpty();
    }
}
