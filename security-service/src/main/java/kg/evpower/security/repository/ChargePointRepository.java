package kg.evpower.security.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import kg.evpower.security.domain.ChargePoint;
import kg.evpower.security.domain.ChargePointStatus;

@ApplicationScoped
public class ChargePointRepository implements PanacheRepositoryBase<ChargePoint, String> {

    /** The charge point, locked for the rest of the transaction (status changes are serialised per charge point). */
    public Uni<ChargePoint> findForUpdate(String cpId) {
        return findById(cpId, LockModeType.PESSIMISTIC_WRITE);
    }

    @WithSession
    public Uni<ChargePoint> find(String cpId) {
        return findById(cpId);
    }

    @WithSession
    public Uni<List<ChargePoint>> list(ChargePointStatus status, int offset, int limit) {
        Page page = Page.of(offset / Math.max(limit, 1), limit);
        return status == null
                ? findAll(Sort.by("cpId")).page(page).list()
                : find("status", Sort.by("cpId"), status).page(page).list();
    }

    @WithSession
    public Uni<Long> countWith(ChargePointStatus status) {
        return status == null ? count() : count("status", status);
    }
}
