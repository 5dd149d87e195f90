package kg.evpower.security.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import kg.evpower.security.domain.AuditEvent;

@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, Long> {

    public record Filter(String cpId, String action, Instant from, Instant to) {
    }

    public record PageOf(List<AuditEvent> rows, long total) {
    }

    @WithSession
    public Uni<PageOf> search(Filter filter, int page, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (filter.cpId() != null) {
            where.add("cpId = :cpId");
            params.put("cpId", filter.cpId());
        }
        if (filter.action() != null) {
            where.add("action = :action");
            params.put("action", filter.action());
        }
        if (filter.from() != null) {
            where.add("occurredAt >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("occurredAt < :to");
            params.put("to", filter.to());
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        Sort sort = Sort.descending("occurredAt", "id");
        return find(query, sort, params).page(Page.of(page, size)).list()
                .chain(rows -> count(query, params).map(total -> new PageOf(rows, total)));
    }
}
