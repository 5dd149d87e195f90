package kg.evpower.charging.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One charging session: PENDING (created, hold being placed) → STARTING (RemoteStart accepted, waiting for the station's
 * StartTransaction) → CHARGING → STOPPING (RemoteStop sent) → STOPPED (settled); FAILED when the start never happened.
 */
@Entity
@Table(name = "charging_session")
public class ChargingSession {

    public static final String PENDING = "PENDING";
    public static final String STARTING = "STARTING";
    public static final String CHARGING = "CHARGING";
    public static final String STOPPING = "STOPPING";
    public static final String STOPPED = "STOPPED";
    public static final String FAILED = "FAILED";
    public static final String ORIGIN_APP = "app";
    public static final String ORIGIN_RFID = "rfid";
    public static final Set<String> OPEN = Set.of(PENDING, STARTING, CHARGING, STOPPING);

    @Id
    public UUID id;
    @Column(name = "client_id", nullable = false)
    public String clientId;
    @Column(name = "station_id", nullable = false)
    public String stationId;
    @Column(name = "connector_id", nullable = false)
    public int connectorId;
    @Column(nullable = false)
    public String status;
    @Column(name = "id_tag", nullable = false)
    public String idTag;
    @Column(name = "transaction_id")
    public Integer transactionId;
    @Column(name = "limit_type", nullable = false)
    public String limitType;
    @Column(name = "limit_value", nullable = false)
    public long limitValue;
    @Column(name = "hold_id")
    public String holdId;
    @Column(name = "reserved_amount", nullable = false)
    public long reservedAmount;
    @Column(name = "rate_per_kwh", nullable = false)
    public long ratePerKwh;
    @Column(name = "rate_per_minute", nullable = false)
    public long ratePerMinute;
    @Column(name = "session_fee", nullable = false)
    public long sessionFee;
    @Column(name = "parking_fee_per_minute", nullable = false)
    public long parkingFeePerMinute;
    @Column(name = "tariff_plan_id")
    public Long tariffPlanId;
    @Column(name = "rule_id")
    public Long ruleId;
    @Column(name = "active_rule")
    public String activeRule;
    @Column(name = "meter_start_wh")
    public Long meterStartWh;
    @Column(name = "meter_last_wh")
    public Long meterLastWh;
    @Column(name = "energy_wh", nullable = false)
    public long energyWh;
    @Column(name = "power_w")
    public Long powerW;
    @Column(name = "soc_percent")
    public Integer socPercent;
    @Column(name = "current_cost", nullable = false)
    public long currentCost;
    @Column(name = "last_energy_at")
    public Instant lastEnergyAt;
    @Column(name = "limit_reached", nullable = false)
    public boolean limitReached;
    @Column(name = "final_cost")
    public Long finalCost;
    public Long captured;
    public Long released;
    @Column(name = "stop_reason")
    public String stopReason;
    @Column(name = "failure_code")
    public String failureCode;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "transaction_started_at")
    public Instant transactionStartedAt;
    @Column(name = "stop_requested_at")
    public Instant stopRequestedAt;
    @Column(name = "stopped_at")
    public Instant stoppedAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    /** app (started from the app) or rfid (started at the station with a client's RFID tag). */
    @Column(nullable = false)
    public String origin = ORIGIN_APP;
    /** Hold state as payment-service confirmed it on evpower.payment.v1 (HELD, CAPTURED, RELEASED). */
    @Column(name = "payment_status")
    public String paymentStatus;
    @Column(name = "payment_captured")
    public Long paymentCaptured;
    @Column(name = "payment_receivable")
    public Long paymentReceivable;
    @Column(name = "payment_updated_at")
    public Instant paymentUpdatedAt;

    public boolean isOpen() {
        return OPEN.contains(status);
    }

    /** The status the app knows (A6.7): started, stopped or error. */
    public String appStatus() {
        return switch (status) {
            case STOPPED -> "stopped";
            case FAILED -> "error";
            default -> "started";
        };
    }
}
