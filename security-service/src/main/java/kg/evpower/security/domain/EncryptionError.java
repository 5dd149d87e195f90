package kg.evpower.security.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A refused encryption or decryption of a charge point; resolved by its next success. */
@Entity
@Table(name = "encryption_error")
public class EncryptionError {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cp_id")
    public String cpId;

    @Column(name = "error_type")
    public String errorType;

    public String message;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "resolved_at")
    public Instant resolvedAt;
}
