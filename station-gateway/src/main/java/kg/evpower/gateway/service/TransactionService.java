package kg.evpower.gateway.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.gateway.ocpp.message.IdTagInfo;
import kg.evpower.gateway.ocpp.message.MeterValue;
import kg.evpower.gateway.ocpp.message.StartTransactionRequest;
import kg.evpower.gateway.ocpp.message.StopTransactionRequest;
import kg.evpower.gateway.repository.Sql;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.sql.SqlTransactional;

/** OCPP transactions and meter values. Retries are absorbed by unique constraints, never by locks in the JVM. */
@ApplicationScoped
public class TransactionService {

    public record Started(long transactionId, boolean created) {
    }

    public record Stopped(boolean known, boolean firstStop) {
    }

    private static final String INSERT_METER_VALUE = """
            INSERT INTO meter_value (station_id, connector_id, transaction_id, sampled_at, energy_register_wh, power_w,
                soc_percent, samples)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS jsonb))""";

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

    /** Records a StopTransaction; a retry (or a stop of an already stopped transaction) changes nothing. */
    @SqlTransactional
    public Uni<Stopped> stop(String chargePointId, StopTransactionRequest stop) {
        return Sql.list("""
                SELECT connector_id, id_tag, meter_start_wh, stopped_at IS NOT NULL FROM ocpp_transaction
                WHERE id = ?1 AND station_id = ?2 FOR UPDATE""", stop.transactionId(), chargePointId)
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(new Stopped(false, false));
                    }
                    Object[] row = (Object[]) rows.get(0);
                    int connectorId = ((Number) row[0]).intValue();
                    String idTag = (String) row[1];
                    long meterStart = Sql.asLong(row[2]);
                    if (Boolean.TRUE.equals(row[3])) {
                        return Uni.createFrom().item(new Stopped(true, false));
                    }
                    String reason = stop.reason() != null ? stop.reason() : "Local";
                    long energy = Math.max(0, stop.meterStop() - meterStart);
                    return Sql.update("""
                            UPDATE ocpp_transaction SET stopped_at = ?2, meter_stop_wh = ?3, stop_reason = ?4,
                                stop_id_tag = ?5 WHERE id = ?1""", stop.transactionId(), stop.timestamp(),
                            stop.meterStop(), reason, stop.idTag())
                            .chain(() -> insertMeterValues(chargePointId, connectorId, stop.transactionId(),
                                    stop.transactionData(), 0))
                            .chain(() -> outbox.append(GatewayEvents.STREAM, GatewayEvents.TRANSACTION_STOPPED,
                                    chargePointId, new GatewayEvents.TransactionStopped(chargePointId, connectorId,
                                            stop.transactionId(), stop.idTag() != null ? stop.idTag() : idTag,
                                            meterStart, stop.meterStop(), energy, stop.timestamp(), reason)))
                            .replaceWith(new Stopped(true, true));
                });
    }

    private Uni<Void> insertMeterValues(String chargePointId, int connectorId, Long transactionId,
            List<MeterValue> values, int index) {
        if (index >= values.size()) {
            return Uni.createFrom().voidItem();
        }
        MeterValue value = values.get(index);
        return Sql.update(INSERT_METER_VALUE, chargePointId, connectorId, transactionId, value.timestamp(),
                        value.energyRegisterWh(), value.powerW(), value.socPercent(), value.rawJson())
                .chain(() -> insertMeterValues(chargePointId, connectorId, transactionId, values, index + 1));
    }
}
