package kg.evpower.security.repository;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import kg.evpower.security.domain.EncryptionError;

@ApplicationScoped
public class EncryptionErrorRepository implements PanacheRepositoryBase<EncryptionError, Long> {

    /** Marks the open errors of {@code cpId} resolved; the number resolved. */
    public Uni<Integer> resolveOpen(String cpId, Instant at) {
        return update("resolvedAt = ?1 where cpId = ?2 and resolvedAt is null", at, cpId);
    }

    @WithSession
    public Uni<List<EncryptionError>> open() {
        return find("resolvedAt is null", Sort.descending("occurredAt", "id")).list();
    }

    @WithSession
    public Uni<List<EncryptionError>> recent(int limit) {
        return findAll(Sort.descending("occurredAt", "id")).page(Page.ofSize(limit)).list();
    }

    @WithSession
    public Uni<EncryptionError> openOf(String cpId) {
        return find("cpId = ?1 and resolvedAt is null", Sort.descending("occurredAt", "id"), cpId).firstResult();
    }
}
