package kg.evpower.security.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One audited action: who, from where, what, with which outcome and why. Never a secret. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String actor;

    @Column(name = "source_address")
    public String sourceAddress;

    public String action;

    public String outcome;

    public String severity;

    @Column(name = "cp_id")
    public String cpId;

    public String reason;

    @Column(name = "correlation_id")
    public String correlationId;
}
