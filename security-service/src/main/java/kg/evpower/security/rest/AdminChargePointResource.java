package kg.evpower.security.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.domain.ChargePointStatus;
import kg.evpower.security.service.ChargePointService;

/** The charge-point registry (admin): register, list, rotate the authorization key, deregister. */
@Path("/admin/charge-points")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminChargePointResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RegisterRequest(String cpId, String location, JsonNode metadata, String authorizationKey) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CredentialsResponse(String cpId, String authorizationKey) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RotateRequest(String authorizationKey) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DeregisterRequest(String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChargePointView(String cpId, String location, String metadata, String status, String statusReason,
            Instant statusChangedAt, Instant registeredAt, Instant updatedAt, Instant lastAuthenticatedAt,
            Instant deregisteredAt, int tokenVersion) {

        static ChargePointView of(ChargePointService.ChargePointInfo cp) {
            return new ChargePointView(cp.cpId(), cp.location(), cp.metadata(), cp.status().name(), cp.statusReason(),
                    cp.statusChangedAt(), cp.registeredAt(), cp.updatedAt(), cp.lastAuthenticatedAt(), cp.deregisteredAt(),
                    cp.tokenVersion());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChargePointList(List<ChargePointView> cps, long total, int limit, int offset) {
    }

    private final ChargePointService service;
    private final RequestCaller caller;

    AdminChargePointResource(ChargePointService service, RequestCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    public Uni<Response> register(RegisterRequest request) {
        Require.body(request);
        String metadata = request.metadata() == null || request.metadata().isNull() ? null : request.metadata().toString();
        if (metadata != null && !request.metadata().isObject()) {
            throw Require.invalid("metadata", "must be a JSON object");
        }
        return service.register(new ChargePointService.Registration(request.cpId(), request.location(), metadata,
                request.authorizationKey()), caller.caller())
                .map(c -> Response.status(201).entity(new CredentialsResponse(c.cpId(), c.authorizationKey())).build());
    }

    @GET
    public Uni<ChargePointList> list(@QueryParam("status") String status, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        ChargePointStatus filter = parseStatus(status);
        if (limit < 1 || limit > 1000) {
            throw Require.invalid("limit", "must be 1 to 1000");
        }
        if (offset < 0) {
            throw Require.invalid("offset", "must be 0 or more");
        }
        return service.list(filter, offset, limit).chain(rows -> service.count(filter)
                .map(total -> new ChargePointList(rows.stream().map(ChargePointView::of).toList(), total, limit, offset)));
    }

    @POST
    @Path("/{cp_id}/rotate-authorization-key")
    public Uni<CredentialsResponse> rotate(@PathParam("cp_id") String cpId, RotateRequest request) {
        String key = request == null ? null : request.authorizationKey();
        return service.rotateAuthorizationKey(cpId, key, caller.caller())
                .map(c -> new CredentialsResponse(c.cpId(), c.authorizationKey()));
    }

    @DELETE
    @Path("/{cp_id}")
    public Uni<StatusResource.OperationResponse> deregister(@PathParam("cp_id") String cpId, DeregisterRequest request) {
        String reason = request == null ? null : Require.optionalText(request.reason(), "reason", 500);
        return service.deregister(cpId, reason, caller.caller()).map(StatusResource.OperationResponse::of);
    }

    static ChargePointStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return ChargePointStatus.valueOf(status.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Require.invalid("status", "must be ACTIVE, OUT_OF_SERVICE or REVOKED");
        }
    }
}
