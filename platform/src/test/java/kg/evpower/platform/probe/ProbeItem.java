package kg.evpower.platform.probe;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A state change of the platform's test application, reported by an event. */
@Entity
@Table(name = "probe_item")
public class ProbeItem {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
