package kg.evpower.charging.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "tariff_plan")
public class TariffPlan {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(nullable = false)
    public String name;
    public String description;
    @Column(name = "is_default", nullable = false)
    public boolean isDefault;
    @Column(name = "is_active", nullable = false)
    public boolean isActive = true;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();
}
