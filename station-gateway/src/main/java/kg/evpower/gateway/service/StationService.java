package kg.evpower.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.gateway.ocpp.message.BootNotificationRequest;
import kg.evpower.gateway.repository.Sql;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.sql.SqlTransaction;
import kg.evpower.platform.sql.SqlTransactional;

/** Station connection state, boot information and connector statuses, each change with its event. */
@ApplicationScoped
public class StationService {

    private static final String INSERT_MESSAGE = """
            INSERT INTO station_message (station_id, action, payload, answer)
            VALUES ($1, $2, CAST($3 AS jsonb), CAST($4 AS jsonb))""";

    private final Outbox outbox;
    private final Pool pool;
    private final StationMessageWriter messages;

    StationService(Outbox outbox, Pool pool, StationMessageWriter messages) {
        this.outbox = outbox;
        this.pool = pool;
        this.messages = messages;
    }

    @SqlTransactional
    public Uni<Void> connected(String chargePointId, String instanceId, String securityStatus) {
        return Sql.update("""
                INSERT INTO station (id, connected, instance_id, security_status, connected_at, last_message_at, updated_at)
                VALUES (?1, true, ?2, ?3, now(), now(), now())
                ON CONFLICT (id) DO UPDATE SET connected = true, instance_id = excluded.instance_id,
                    security_status = excluded.security_status, connected_at = now(), last_message_at = now(),
                    updated_at = now()""", chargePointId, instanceId, securityStatus)
                .chain(() -> outbox.append(GatewayEvents.STREAM, GatewayEvents.STATION_CONNECTED, chargePointId,
                        new GatewayEvents.StationConnected(chargePointId, instanceId)))
                .replaceWithVoid();
    }

    /** Marks the station disconnected if this instance still owns it; true (and an event) when it did. */
    @SqlTransactional
    public Uni<Boolean> disconnected(String chargePointId, String instanceId, String reason) {
        return Sql.update("""
                UPDATE station SET connected = false, disconnected_at = now(), updated_at = now()
                WHERE id = ?1 AND connected AND instance_id = ?2""", chargePointId, instanceId)
                .chain(rows -> rows == 0 ? Uni.createFrom().item(false)
                        : outbox.append(GatewayEvents.STREAM, GatewayEvents.STATION_DISCONNECTED, chargePointId,
                                new GatewayEvents.StationDisconnected(chargePointId, instanceId, reason))
                                .replaceWith(true));
    }

    /** Offline detection: disconnects a silent station whose socket no replica holds, once, whichever replica asks. */
    @SqlTransactional
    public Uni<Boolean> markOffline(String chargePointId, int intervalFactor, long graceSeconds) {
        return Sql.list("""
                UPDATE station SET connected = false, disconnected_at = now(), updated_at = now()
                WHERE id = ?1 AND connected
                  AND last_message_at < now() - make_interval(secs => heartbeat_interval_seconds * ?2 + ?3)
                RETURNING instance_id""", chargePointId, intervalFactor, graceSeconds)
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().item(false)
                        : outbox.append(GatewayEvents.STREAM, GatewayEvents.STATION_DISCONNECTED, chargePointId,
                                new GatewayEvents.StationDisconnected(chargePointId, (String) rows.get(0), "OFFLINE"))
                                .replaceWith(true));
    }

    @SqlTransactional
    public Uni<Void> booted(String chargePointId, BootNotificationRequest boot, String registrationStatus,
            int intervalSeconds) {
        return Sql.update("""
                UPDATE station SET vendor = ?2, model = ?3, serial_number = ?4, firmware_version = ?5, iccid = ?6,
                    imsi = ?7, meter_type = ?8, meter_serial_number = ?9, registration_status = ?10,
                    heartbeat_interval_seconds = ?11, booted_at = now(), last_message_at = now(), updated_at = now()
                WHERE id = ?1""", chargePointId, boot.chargePointVendor(), boot.chargePointModel(), boot.serialNumber(),
                boot.firmwareVersion(), boot.iccid(), boot.imsi(), boot.meterType(), boot.meterSerialNumber(),
                registrationStatus, intervalSeconds)
                .chain(() -> outbox.append(GatewayEvents.STREAM, GatewayEvents.STATION_BOOTED, chargePointId,
                        new GatewayEvents.StationBooted(chargePointId, boot.chargePointVendor(), boot.chargePointModel(),
                                boot.serialNumber(), boot.firmwareVersion(), registrationStatus)))
                .replaceWithVoid();
    }

    /**
     * Heartbeat and throttled traffic: the station is alive, on this instance. No event (liveness is not a fact), except
     * when offline detection had marked the station disconnected meanwhile: then it is connected again, and said so.
     * The usual case (still marked connected) is one statement committed on its own, without a transaction around it.
     */
    public Uni<Void> touched(String chargePointId, String instanceId) {
        return pool.preparedQuery("""
                UPDATE station SET last_message_at = now(), instance_id = $2 WHERE id = $1 AND connected""")
                .execute(Tuple.of(chargePointId, instanceId))
                .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().voidItem()
                        : SqlTransaction.run(pool, () -> reconnected(chargePointId, instanceId)));
    }

    /** {@link #touched} of a station marked disconnected (or not known): connected again, with its event. */
    private Uni<Void> reconnected(String chargePointId, String instanceId) {
        return Sql.list("""
                UPDATE station s SET last_message_at = now(), connected = true, instance_id = ?2
                FROM (SELECT id, connected FROM station WHERE id = ?1 FOR UPDATE) old
                WHERE s.id = old.id
                RETURNING old.connected""", chargePointId, instanceId)
                .chain(rows -> rows.isEmpty() || Boolean.TRUE.equals(rows.get(0)) ? Uni.createFrom().voidItem()
                        : outbox.append(GatewayEvents.STREAM, GatewayEvents.STATION_CONNECTED, chargePointId,
                                new GatewayEvents.StationConnected(chargePointId, instanceId)).replaceWithVoid());
    }

    /**
     * Records a station message that has no table of its own, with its answer and (when given) an event. Most go
     * through the group commit of {@link StationMessageWriter}; the two status notifications also change the station
     * row, in one transaction.
     */
    public Uni<Void> messageRecorded(String chargePointId, String action, String payloadJson, String answerJson,
            String eventType, Object eventData) {
        if ("DiagnosticsStatusNotification".equals(action) || "FirmwareStatusNotification".equals(action)) {
            return SqlTransaction.run(pool, () -> statusRecorded(chargePointId, action, payloadJson, answerJson,
                    eventType, eventData));
        }
        return Uni.createFrom().completionStage(() -> messages.write(chargePointId, action, payloadJson, answerJson,
                eventType, eventData).toCompletionStage());
    }

    private Uni<Void> statusRecorded(String chargePointId, String action, String payloadJson, String answerJson,
            String eventType, Object eventData) {
        String column = "DiagnosticsStatusNotification".equals(action) ? "diagnostics_status" : "firmware_status";
        String status = eventData instanceof GatewayEvents.DiagnosticsStatusChanged diagnostics ? diagnostics.status()
                : ((GatewayEvents.FirmwareStatusChanged) eventData).status();
        return SqlTransaction.current().preparedQuery(INSERT_MESSAGE)
                .execute(Tuple.of(chargePointId, action, payloadJson, answerJson))
                .chain(() -> Sql.update("UPDATE station SET " + column + " = ?2, updated_at = now() WHERE id = ?1",
                        chargePointId, status))
                .chain(() -> outbox.append(GatewayEvents.STREAM, eventType, chargePointId, eventData))
                .replaceWithVoid();
    }
}
