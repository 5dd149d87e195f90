package kg.evpower.security.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.retention.TableRetention;

/**
 * What security-service forgets, run hourly by the platform's {@code RetentionJob}; each keep is
 * {@code evpower.retention.<rule>.keep}:
 * <ul>
 * <li>{@value #AUDIT}: audit rows by {@code occurred_at}, 365 days; a keep below 90 days stops the service at
 * start-up;</li>
 * <li>{@value #ENCRYPTION_ERRORS}: resolved encryption errors by {@code occurred_at}, 90 days. Open ones stay: they
 * are what {@code /security/encryption-errors} and the status views show.</li>
 * </ul>
 * Nothing else in the schema expires: charge points are never deleted (REVOKED is final and its id may not be
 * registered again), rotated or revoked key versions stay so that old payloads are refused as expired or revoked (not as
 * unknown) and version numbers are never reused, and retired signing keys are a handful a year. Lock-out and
 * rate-limit counters live in Redis with their own expiry; the outbox and processed-event tables are the platform's.
 */
@ApplicationScoped
public class SecurityRetention {

    public static final String AUDIT = "audit_event";
    public static final String ENCRYPTION_ERRORS = "encryption_error";

    @Produces
    @ApplicationScoped
    RetentionRule auditEvents() {
        return TableRetention.of(AUDIT, "occurred_at", Duration.ofDays(365)).atLeast(Duration.ofDays(90));
    }

    @Produces
    @ApplicationScoped
    RetentionRule resolvedEncryptionErrors() {
        return TableRetention.of(ENCRYPTION_ERRORS, "occurred_at", Duration.ofDays(90)).where("resolved_at IS NOT NULL");
    }
}
