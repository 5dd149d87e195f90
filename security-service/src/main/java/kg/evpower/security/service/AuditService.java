package kg.evpower.security.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.platform.correlation.CorrelationId;
import kg.evpower.security.domain.AuditEvent;
import kg.evpower.security.repository.AuditEventRepository;

/** Writes audit rows: inside the transaction of the change they describe, or alone for refusals. Never a secret. */
@ApplicationScoped
public class AuditService {

    public enum Outcome { SUCCESS, FAILURE, DENIED }

    /** What one audit row says. {@code reason} is a code or short text written by this service, never a caller value. */
    public record Entry(Caller caller, String action, Outcome outcome, String severity, String cpId, String reason) {
    }

    private final AuditEventRepository repository;

    AuditService(AuditEventRepository repository) {
        this.repository = repository;
    }

    /** Adds the row to the current transaction. */
    public Uni<Void> record(Entry entry) {
        return repository.persist(row(entry)).replaceWithVoid();
    }

    /**
     * The row {@link #record} writes for {@code entry}, not yet stored: its time, correlation id (of the work in
     * progress), default severity and truncations, in one place for every writer of audit rows (also plain SQL).
     */
    public static AuditEvent row(Entry entry) {
        AuditEvent row = new AuditEvent();
        row.occurredAt = Instant.now();
        row.actor = truncate(entry.caller().actor(), 200);
        row.sourceAddress = truncate(entry.caller().sourceAddress(), 64);
        row.action = entry.action();
        row.outcome = entry.outcome().name();
        row.severity = entry.severity() != null ? entry.severity() : (entry.outcome() == Outcome.SUCCESS ? "INFO" : "WARN");
        row.cpId = truncate(entry.cpId(), 64);
        row.reason = truncate(entry.reason(), 500);
        row.correlationId = CorrelationId.current();
        return row;
    }

    /** Writes the row in a transaction of its own (refusals, where nothing else changes). */
    public Uni<Void> recordAlone(Entry entry) {
        return Panache.withTransaction(() -> record(entry))
                .onFailure().invoke(e -> Log.errorf("Audit row %s/%s for %s could not be written: %s",
                        entry.action(), entry.outcome(), entry.cpId(), e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
