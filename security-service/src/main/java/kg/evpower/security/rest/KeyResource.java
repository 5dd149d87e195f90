package kg.evpower.security.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.rest.StatusResource.OperationResponse;
import kg.evpower.security.service.EncryptionKeyService;

/** EV_Central-compatible key operations on a charge point's encryption key (admin). */
@Path("/keys")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record KeyRequest(String cpId, String reason) {
    }

    private final EncryptionKeyService keys;
    private final RequestCaller caller;

    KeyResource(EncryptionKeyService keys, RequestCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Path("/generate")
    public Uni<OperationResponse> generate(KeyRequest request) {
        Require.body(request);
        return keys.generate(Require.text(request.cpId(), "cp_id"), Require.optionalText(request.reason(), "reason", 500),
                caller.caller()).map(k -> new OperationResponse(true, k.cpId(), k.message(), null, null, k.version()));
    }

    @POST
    @Path("/reset")
    public Uni<OperationResponse> reset(KeyRequest request) {
        Require.body(request);
        return keys.reset(Require.text(request.cpId(), "cp_id"), Require.optionalText(request.reason(), "reason", 500),
                caller.caller()).map(k -> new OperationResponse(true, k.cpId(), k.message(), null, null, k.version()));
    }

    @POST
    @Path("/revoke")
    public Uni<OperationResponse> revoke(KeyRequest request) {
        Require.body(request);
        return keys.revoke(Require.text(request.cpId(), "cp_id"), Require.optionalText(request.reason(), "reason", 500),
                caller.caller()).map(r -> new OperationResponse(true, r.cpId(), "Key versions " + r.versions() + " revoked",
                        null, null, null));
    }
}
