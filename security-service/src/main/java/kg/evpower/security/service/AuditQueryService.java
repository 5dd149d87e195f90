package kg.evpower.security.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.repository.AuditEventRepository;

/** Reads the audit log for operators. */
@ApplicationScoped
public class AuditQueryService {

    public record AuditRow(long id, Instant occurredAt, String actor, String sourceAddress, String action, String outcome,
            String severity, String cpId, String reason, String correlationId) {
    }

    public record Page(List<AuditRow> rows, long total) {
    }

    private final AuditEventRepository repository;

    AuditQueryService(AuditEventRepository repository) {
        this.repository = repository;
    }

    public Uni<Page> search(AuditEventRepository.Filter filter, int page, int size) {
        return repository.search(filter, page, size).map(p -> new Page(p.rows().stream().map(a -> new AuditRow(a.id,
                a.occurredAt, a.actor, a.sourceAddress, a.action, a.outcome, a.severity, a.cpId, a.reason,
                a.correlationId)).toList(), p.total()));
    }
}
