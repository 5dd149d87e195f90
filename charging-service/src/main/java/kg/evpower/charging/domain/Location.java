package kg.evpower.charging.domain;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "location")
public class Location {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(nullable = false)
    public String name;
    public String address;
    public String city;
    public String country;
    @Column(precision = 9, scale = 6)
    public BigDecimal latitude;
    @Column(precision = 9, scale = 6)
    public BigDecimal longitude;
    @Column(nullable = false)
    public String status = "active";
    @Column(name = "working_hours")
    public String workingHours;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();
}
