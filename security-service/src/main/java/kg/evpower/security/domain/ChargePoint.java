package kg.evpower.security.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A registered charge point and its credentials (only as a slow hash). */
@Entity
@Table(name = "charge_point")
public class ChargePoint {

    @Id
    @Column(name = "cp_id")
    public String cpId;

    public String location;

    public String metadata;

    @Column(name = "credential_hash")
    public String credentialHash;

    @Enumerated(EnumType.STRING)
    public ChargePointStatus status;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "status_changed_at")
    public Instant statusChangedAt;

    @Column(name = "out_of_service_at")
    public Instant outOfServiceAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "deregistered_at")
    public Instant deregisteredAt;

    @Column(name = "token_version")
    public int tokenVersion;

    @Column(name = "credentials_rotated_at")
    public Instant credentialsRotatedAt;

    @Column(name = "last_authenticated_at")
    public Instant lastAuthenticatedAt;

    @Column(name = "last_auth_failure_at")
    public Instant lastAuthFailureAt;

    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
