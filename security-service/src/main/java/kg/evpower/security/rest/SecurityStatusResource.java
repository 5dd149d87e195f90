package kg.evpower.security.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.service.SecurityStatusService;
import kg.evpower.security.service.SecurityStatusService.CpStatus;
import kg.evpower.security.service.SecurityStatusService.ErrorView;

/** EV_Central-compatible operator views (admin only, unlike EV_Central). */
@Path("/security")
@Produces(MediaType.APPLICATION_JSON)
public class SecurityStatusResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CpStatusView(String cpId, String securityStatus, String statusReason, boolean isAuthenticated,
            boolean hasEncryptionKey, Integer keyVersion, Instant lastAuthTime, String communicationStatus,
            String encryptionError, String encryptionErrorType, Instant encryptionErrorTimestamp, String displayState) {

        static CpStatusView of(CpStatus s) {
            return new CpStatusView(s.cpId(), s.securityStatus(), s.statusReason(), s.isAuthenticated(),
                    s.hasEncryptionKey(), s.keyVersion(), s.lastAuthTime(), s.communicationStatus(), s.encryptionError(),
                    s.encryptionErrorType(), s.encryptionErrorTimestamp(), s.displayState());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OverviewView(List<CpStatusView> cps, long totalCps, long authenticatedCps, long activeCps,
            long encryptionErrorCps) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ErrorItem(String cpId, String errorType, String message, Instant timestamp, boolean isResolved,
            Instant resolvedAt) {

        static ErrorItem of(ErrorView e) {
            return new ErrorItem(e.cpId(), e.errorType(), e.message(), e.timestamp(), e.isResolved(), e.resolvedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ErrorsView(List<ErrorItem> activeErrors, int errorCount, List<ErrorItem> recentHistory,
            List<String> cpErrors) {
    }

    private final SecurityStatusService service;

    SecurityStatusResource(SecurityStatusService service) {
        this.service = service;
    }

    @GET
    @Path("/status")
    public Uni<OverviewView> overview(@QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > 1000) {
            throw Require.invalid("limit", "must be 1 to 1000");
        }
        if (offset < 0) {
            throw Require.invalid("offset", "must be 0 or more");
        }
        return service.overview(offset, limit).map(o -> new OverviewView(o.cps().stream().map(CpStatusView::of).toList(),
                o.totalCps(), o.authenticatedCps(), o.activeCps(), o.encryptionErrorCps()));
    }

    @GET
    @Path("/status/{cp_id}")
    public Uni<CpStatusView> status(@PathParam("cp_id") String cpId) {
        return service.status(cpId).map(CpStatusView::of);
    }

    @GET
    @Path("/encryption-errors")
    public Uni<ErrorsView> encryptionErrors() {
        return service.encryptionErrors().map(e -> new ErrorsView(e.activeErrors().stream().map(ErrorItem::of).toList(),
                e.errorCount(), e.recentHistory().stream().map(ErrorItem::of).toList(), e.cpErrors()));
    }
}
