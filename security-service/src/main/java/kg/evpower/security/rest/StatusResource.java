package kg.evpower.security.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.domain.ChargePointStatus;
import kg.evpower.security.service.ChargePointService;

/**
 * EV_Central-compatible status changes (admin). A change that would change nothing is 409 STATUS_UNCHANGED and a
 * forbidden one 409 INVALID_STATUS_TRANSITION: never a success that did not happen.
 */
@Path("/status")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StatusRequest(String cpId, String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OperationResponse(boolean success, String cpId, String message, String status, String previousStatus,
            Integer keyVersion) {

        static OperationResponse of(ChargePointService.StatusChange change) {
            return new OperationResponse(true, change.cpId(), change.message(), change.status().name(),
                    change.previousStatus().name(), null);
        }
    }

    private final ChargePointService service;
    private final RequestCaller caller;

    StatusResource(ChargePointService service, RequestCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/revoke")
    public Uni<OperationResponse> revoke(StatusRequest request) {
        return change(request, ChargePointStatus.REVOKED, true);
    }

    @POST
    @Path("/out-of-service")
    public Uni<OperationResponse> outOfService(StatusRequest request) {
        return change(request, ChargePointStatus.OUT_OF_SERVICE, true);
    }

    @POST
    @Path("/restore")
    public Uni<OperationResponse> restore(StatusRequest request) {
        return change(request, ChargePointStatus.ACTIVE, false);
    }

    private Uni<OperationResponse> change(StatusRequest request, ChargePointStatus target, boolean reasonRequired) {
        Require.body(request);
        String cpId = Require.text(request.cpId(), "cp_id");
        String reason = reasonRequired ? Require.text(request.reason(), "reason") : request.reason();
        reason = Require.optionalText(reason, "reason", 500);
        return service.changeStatus(cpId, target, reason, caller.caller()).map(OperationResponse::of);
    }
}
