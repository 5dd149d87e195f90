package kg.evpower.charging.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An app user, keyed by the identity provider's {@code sub}; created on first use. */
@Entity
@Table(name = "client")
public class Client {

    public static final String ACTIVE = "active";
    public static final String BLOCKED = "blocked";
    public static final String PENDING_DELETION = "pending_deletion";

    @Id
    public String id;
    public String name;
    public String phone;
    public String email;
    @Column(nullable = false)
    public String status;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
