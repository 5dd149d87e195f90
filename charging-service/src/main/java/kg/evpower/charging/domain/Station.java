package kg.evpower.charging.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Commercial data of a charge point (id = OCPP chargePointId) plus its live online flag from gateway events. */
@Entity
@Table(name = "station")
public class Station {

    @Id
    public String id;
    @Column(name = "location_id")
    public Long locationId;
    @Column(name = "serial_number")
    public String serialNumber;
    public String model;
    public String manufacturer;
    @Column(name = "power_capacity_kw")
    public Integer powerCapacityKw;
    @Column(nullable = false)
    public String status = "active";
    @Column(name = "tariff_plan_id")
    public Long tariffPlanId;
    @Column(nullable = false)
    public boolean online;
    @Column(name = "last_seen_at")
    public Instant lastSeenAt;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();
}
