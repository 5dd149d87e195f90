package kg.evpower.security.rest;

import java.time.Instant;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.service.Caller;
import kg.evpower.security.service.ChargePointService;

/** What station-gateway asks (docs/contracts.md): check a station's Basic-auth password, read a charge point's status. */
@Path("/internal/charge-points/{cpId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InternalChargePointResource {

    public record AuthenticateRequest(String password, String sourceAddress) {
    }

    public record AuthenticateResponse(String cpId, boolean known, boolean authenticated, String status, boolean lockedOut) {
    }

    public record ChargePointResponse(String cpId, String status, String statusReason, String location, Instant updatedAt) {
    }

    private final ChargePointService service;
    private final RequestCaller caller;

    InternalChargePointResource(ChargePointService service, RequestCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("/authenticate")
    public Uni<AuthenticateResponse> authenticate(@PathParam("cpId") String cpId, AuthenticateRequest request) {
        Require.body(request);
        String password = Require.text(request.password(), "password");
        String source = Require.optionalText(request.sourceAddress(), "sourceAddress", 64);
        // The station's address as the gateway saw it; the gateway's own address when it sent none.
        Caller station = new Caller(caller.caller().actor(), source != null ? source : caller.sourceAddress());
        return service.authenticate(cpId, password, station, "AUTH_BASIC").map(r -> new AuthenticateResponse(cpId,
                r.known(), r.authenticated(), r.known() ? r.status().name() : "UNKNOWN", r.lockedOut()));
    }

    @GET
    public Uni<ChargePointResponse> get(@PathParam("cpId") String cpId) {
        return service.get(cpId).map(cp -> new ChargePointResponse(cp.cpId(), cp.status().name(), cp.statusReason(),
                cp.location(), cp.updatedAt()));
    }
}
