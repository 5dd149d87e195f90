package kg.evpower.charging.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One connector of a station; {@code status} is the OCPP ChargePointStatus last reported by the gateway. */
@Entity
@Table(name = "connector")
public class Connector {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "station_id", nullable = false)
    public String stationId;
    @Column(name = "connector_number", nullable = false)
    public int connectorNumber;
    @Column(name = "connector_type", nullable = false)
    public String connectorType = "Type2";
    @Column(name = "power_kw", nullable = false)
    public int powerKw = 22;
    @Column(nullable = false)
    public String status = "Unavailable";
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "status_updated_at")
    public Instant statusUpdatedAt;
}
