package kg.evpower.security.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.repository.AuditEventRepository;
import kg.evpower.security.service.AuditQueryService;

/** The audit log (admin): filter by charge point, action and time; newest first; paged. */
@Path("/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAuditResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AuditItem(long id, Instant occurredAt, String actor, String sourceAddress, String action, String outcome,
            String severity, String cpId, String reason, String correlationId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AuditPage(List<AuditItem> items, int page, int size, long total) {
    }

    private final AuditQueryService audit;

    AdminAuditResource(AuditQueryService audit) {
        this.audit = audit;
    }

    @GET
    public Uni<AuditPage> search(@QueryParam("cp_id") String cpId, @QueryParam("action") String action,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0) {
            throw Require.invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > 500) {
            throw Require.invalid("size", "must be 1 to 500");
        }
        AuditEventRepository.Filter filter = new AuditEventRepository.Filter(blankToNull(cpId), blankToNull(action),
                instant(from, "from"), instant(to, "to"));
        return audit.search(filter, page, size).map(p -> new AuditPage(p.rows().stream().map(a -> new AuditItem(a.id(),
                a.occurredAt(), a.actor(), a.sourceAddress(), a.action(), a.outcome(), a.severity(), a.cpId(), a.reason(),
                a.correlationId())).toList(), page, size, p.total()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Instant instant(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw Require.invalid(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
