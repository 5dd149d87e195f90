package kg.evpower.gateway.event;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The events station-gateway produces on {@code evpower.gateway.v1} (docs/contracts.md; schemas in docs/events/gateway.*.json).
 * Field names and types are the contract: charging-service consumes them.
 */
public final class GatewayEvents {

    public static final String STREAM = "evpower.gateway.v1";

    public static final String STATION_CONNECTED = "gateway.station.connected";
    public static final String STATION_DISCONNECTED = "gateway.station.disconnected";
    public static final String STATION_BOOTED = "gateway.station.booted";
    public static final String CONNECTOR_STATUS_CHANGED = "gateway.connector.status-changed";
    public static final String TRANSACTION_STARTED = "gateway.transaction.started";
    public static final String METER_VALUES = "gateway.meter.values";
    public static final String TRANSACTION_STOPPED = "gateway.transaction.stopped";
    public static final String COMMAND_COMPLETED = "gateway.command.completed";
    public static final String ID_TAG_AUTHORIZED = "gateway.id-tag.authorized";
    public static final String DATA_TRANSFER_RECEIVED = "gateway.data-transfer.received";
    public static final String DIAGNOSTICS_STATUS_CHANGED = "gateway.diagnostics.status-changed";
    public static final String FIRMWARE_STATUS_CHANGED = "gateway.firmware.status-changed";
    public static final String SECURITY_EVENT_RECEIVED = "gateway.security.event-received";

    private GatewayEvents() {
    }

    @RegisterForReflection
    public record StationConnected(String chargePointId, String instanceId) {
    }

    @RegisterForReflection
    public record StationDisconnected(String chargePointId, String instanceId, String reason) {
    }

    @RegisterForReflection
    public record StationBooted(String chargePointId, String vendor, String model, String serialNumber,
            String firmwareVersion, String registrationStatus) {
    }

    @RegisterForReflection
    public record ConnectorStatusChanged(String chargePointId, int connectorId, String status, String errorCode,
            String info, String vendorErrorCode, Instant timestamp) {
    }

    @RegisterForReflection
    public record TransactionStarted(String chargePointId, int connectorId, long transactionId, String idTag,
            long meterStartWh, Instant timestamp, Integer reservationId) {
    }

    @RegisterForReflection
    public record MeterValues(String chargePointId, int connectorId, Long transactionId, Instant timestamp,
            Long energyRegisterWh, Long powerW, Integer socPercent) {
    }

    @RegisterForReflection
    public record TransactionStopped(String chargePointId, int connectorId, long transactionId, String idTag,
            long meterStartWh, long meterStopWh, long energyWh, Instant timestamp, String reason) {
    }

    @RegisterForReflection
    public record CommandCompleted(String chargePointId, String action, String messageId, String outcome,
            String correlationId) {
    }

    @RegisterForReflection
    public record IdTagAuthorized(String chargePointId, String idTag, String status) {
    }

    @RegisterForReflection
    public record DataTransferReceived(String chargePointId, String vendorId, String messageId, String data) {
    }

    @RegisterForReflection
    public record DiagnosticsStatusChanged(String chargePointId, String status) {
    }

    @RegisterForReflection
    public record FirmwareStatusChanged(String chargePointId, String status) {
    }

    @RegisterForReflection
    public record SecurityEventReceived(String chargePointId, String type, Instant timestamp, String techInfo) {
    }
}
