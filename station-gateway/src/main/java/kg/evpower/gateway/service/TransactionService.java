package kg.evpower.gateway.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.gateway.ocpp.message.IdTagInfo;
import kg.evpower.gateway.ocpp.message.MeterValue;
import kg.evpower.gateway.ocpp.message.StartTransactionRequest;
import kg.evpower.gateway.ocpp.message.StopTransactionRequest;
import kg.evpower.platform.event.Outbox;

/** OCPP transactions and meter values. Retries are absorbed by unique constraints, never by locks in the JVM. */
@ApplicationScoped
public class TransactionService {

    public record Started(long transactionId, boolean created) {
    }

    public record Stopped(boolean known, boolean firstStop) {
    }

    /** The parameters of {@link #INSERT_STOPPED} before its meter values' eight arrays. */
    private static final int STOP_PARAMETERS = 6;

    /** The stop, its meter values and its event, written only while the transaction is open. */
    private static final String INSERT_STOPPED = """
            WITH stopped AS (
                UPDATE ocpp_transaction SET stopped_at = $3, meter_stop_wh = $4, stop_reason = $5, stop_id_tag = $6
                WHERE id = $1 AND station_id = $2 AND stopped_at IS NULL
                RETURNING id),
            meter AS (""" + MeterValueWriter.insertRows(STOP_PARAMETERS + 1) + """
                 WHERE EXISTS (SELECT 1 FROM stopped))
            """ + Outbox.insertAllStatement(STOP_PARAMETERS + 9) + " WHERE EXISTS (SELECT 1 FROM stopped)";

    /** The transaction and its event; on a retry (the row exists) neither. */
    private static final String INSERT_STARTED = """
            WITH started AS (
                INSERT INTO ocpp_transaction (id, station_id, connector_id, id_tag, id_tag_status, meter_start_wh,
                    started_at, reservation_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT ON CONSTRAINT ocpp_transaction_retry DO NOTHING
                RETURNING id)
            """ + Outbox.insertAllStatement(9) + " WHERE EXISTS (SELECT 1 FROM started)";

    private final Outbox outbox;
    private final Pool pool;

    TransactionService(Outbox outbox, Pool pool) {
        this.outbox = outbox;
        this.pool = pool;
    }

    /**
     * Records a StartTransaction. Its id comes from the sequence; a retry (same station, connector, tag, timestamp and
     * meterStart) finds the first row and gets the same id, with no second event. The row and its event are one
     * statement, committed on its own: the event is written only when the row is.
     */
    public Uni<Started> start(String chargePointId, StartTransactionRequest start, IdTagInfo authorization) {
        return pool.query("SELECT nextval('ocpp_transaction_id_seq')").execute().chain(ids -> {
            long id = ids.iterator().next().getLong(0);
            List<Outbox.Pending> event = List.of(new Outbox.Pending(GatewayEvents.STREAM,
                    GatewayEvents.TRANSACTION_STARTED, chargePointId, new GatewayEvents.TransactionStarted(
                            chargePointId, start.connectorId(), id, start.idTag(), start.meterStart(),
                            start.timestamp(), start.reservationId())));
            OffsetDateTime startedAt = OffsetDateTime.ofInstant(start.timestamp(), ZoneOffset.UTC);
            return pool.preparedQuery(INSERT_STARTED)
                    .execute(Tuple.from(outbox.parameters(event, id, chargePointId, start.connectorId(),
                            start.idTag(), authorization.status(), start.meterStart(), startedAt,
                            start.reservationId())))
                    .chain(inserted -> inserted.rowCount() == 1 ? Uni.createFrom().item(new Started(id, true))
                            : pool.preparedQuery("""
                                    SELECT id FROM ocpp_transaction WHERE station_id = $1 AND connector_id = $2
                                      AND id_tag = $3 AND started_at = $4 AND meter_start_wh = $5""")
                                    .execute(Tuple.of(chargePointId, start.connectorId(), start.idTag(), startedAt,
                                            start.meterStart()))
                                    .map(rows -> new Started(rows.iterator().next().getLong(0), false)));
        });
    }

    /**
     * Records a StopTransaction; a retry (or a stop of an already stopped transaction) changes nothing. The stop, the
     * meter values it carries and its event are one statement, committed on its own, that writes only while the
     * transaction is still open: of two stops of the same transaction at once, one writes and the other finds it
     * stopped. What the event repeats from the start (connector, id tag, meter start) never changes, so it is read
     * before, without a lock.
     */
    public Uni<Stopped> stop(String chargePointId, StopTransactionRequest stop) {
        return pool.preparedQuery("""
                SELECT connector_id, id_tag, meter_start_wh, stopped_at IS NOT NULL FROM ocpp_transaction
                WHERE id = $1 AND station_id = $2""").execute(Tuple.of(stop.transactionId(), chargePointId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(new Stopped(false, false));
                    }
                    Row row = rows.iterator().next();
                    if (row.getBoolean(3)) {
                        return Uni.createFrom().item(new Stopped(true, false));
                    }
                    return stopOpen(chargePointId, stop, row.getInteger(0), row.getString(1), row.getLong(2));
                });
    }

    private Uni<Stopped> stopOpen(String chargePointId, StopTransactionRequest stop, int connectorId, String idTag,
            long meterStart) {
        String reason = stop.reason() != null ? stop.reason() : "Local";
        long energy = Math.max(0, stop.meterStop() - meterStart);
        List<MeterValue> values = stop.transactionData();
        MeterValueWriter.Rows rows = new MeterValueWriter.Rows(values.size());
        for (MeterValue value : values) {
            rows.add(chargePointId, connectorId, stop.transactionId(), value);
        }
        List<Outbox.Pending> event = List.of(new Outbox.Pending(GatewayEvents.STREAM,
                GatewayEvents.TRANSACTION_STOPPED, chargePointId, new GatewayEvents.TransactionStopped(chargePointId,
                        connectorId, stop.transactionId(), stop.idTag() != null ? stop.idTag() : idTag, meterStart,
                        stop.meterStop(), energy, stop.timestamp(), reason)));
        Object[] leading = new Object[STOP_PARAMETERS + 8];
        leading[0] = stop.transactionId();
        leading[1] = chargePointId;
        leading[2] = OffsetDateTime.ofInstant(stop.timestamp(), ZoneOffset.UTC);
        leading[3] = stop.meterStop();
        leading[4] = reason;
        leading[5] = stop.idTag();
        System.arraycopy(rows.columns(), 0, leading, STOP_PARAMETERS, 8);
        return pool.preparedQuery(INSERT_STOPPED).execute(Tuple.from(outbox.parameters(event, leading)))
                .map(written -> new Stopped(true, written.rowCount() == 1));
    }
}
