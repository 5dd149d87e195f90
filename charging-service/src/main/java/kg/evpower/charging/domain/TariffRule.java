package kg.evpower.charging.domain;

import java.time.Instant;
import java.time.LocalTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One priced component of a plan; times and weekdays are Asia/Bishkek local. Prices in tyiyn. */
@Entity
@Table(name = "tariff_rule")
public class TariffRule {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "tariff_plan_id", nullable = false)
    public Long tariffPlanId;
    @Column(nullable = false)
    public String name;
    @Column(name = "tariff_type", nullable = false)
    public String tariffType;
    @Column(name = "connector_type", nullable = false)
    public String connectorType = "ALL";
    @Column(name = "power_min_kw", nullable = false)
    public int powerMinKw = 0;
    @Column(name = "power_max_kw", nullable = false)
    public int powerMaxKw = 1000;
    @Column(nullable = false)
    public long price;
    @Column(name = "time_start")
    public LocalTime timeStart;
    @Column(name = "time_end")
    public LocalTime timeEnd;
    @Column(name = "days_of_week")
    public String daysOfWeek;
    @Column(name = "is_weekend", nullable = false)
    public boolean isWeekend;
    @Column(nullable = false)
    public int priority;
    @Column(name = "is_active", nullable = false)
    public boolean isActive = true;
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "valid_until")
    public Instant validUntil;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();
}
