package kg.evpower.charging.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A client's own plan or fixed per-kWh rate, with a discount on per-kWh and per-minute prices. */
@Entity
@Table(name = "client_tariff")
public class ClientTariff {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "client_id", nullable = false)
    public String clientId;
    @Column(name = "tariff_plan_id")
    public Long tariffPlanId;
    @Column(name = "discount_percent", nullable = false)
    public int discountPercent;
    @Column(name = "fixed_rate_per_kwh")
    public Long fixedRatePerKwh;
    @Column(name = "is_active", nullable = false)
    public boolean isActive = true;
    @Column(name = "valid_from", nullable = false)
    public Instant validFrom = Instant.now();
    @Column(name = "valid_until")
    public Instant validUntil;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();
}
