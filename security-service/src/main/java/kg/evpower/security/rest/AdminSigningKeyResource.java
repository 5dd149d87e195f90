package kg.evpower.security.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.service.AuditService;
import kg.evpower.security.service.AuditService.Entry;
import kg.evpower.security.service.SigningKeyService;

/** Token signing keys (admin): list and rotate. A rotated key keeps verifying until its tokens have expired. */
@Path("/admin/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminSigningKeyResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SigningKeyView(String kid, String algorithm, String status, Instant createdAt, Instant verifyUntil) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RotateResponse(String kid, String previousKid, Instant previousVerifyUntil) {
    }

    private final SigningKeyService keys;
    private final AuditService audit;
    private final RequestCaller caller;

    AdminSigningKeyResource(SigningKeyService keys, AuditService audit, RequestCaller caller) {
        this.keys = keys;
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    public Uni<List<SigningKeyView>> list() {
        return keys.reload().map(ignored -> keys.loaded().stream()
                .map(k -> new SigningKeyView(k.kid(), "ES256", k.status(), k.createdAt(), k.verifyUntil())).toList());
    }

    @POST
    @Path("/rotate")
    public Uni<RotateResponse> rotate() {
        return keys.reload().chain(() -> {
            String previous = keys.active().kid();
            return keys.rotate().map(kid -> new RotateResponse(kid, previous, keys.loaded().stream()
                    .filter(k -> k.kid().equals(previous)).map(SigningKeyService.SigningKey::verifyUntil).findFirst()
                    .orElse(null)));
        }).call(r -> audit.recordAlone(new Entry(caller.caller(), "SIGNING_KEY_ROTATE", AuditService.Outcome.SUCCESS,
                "WARN", null, r.previousKid() + " -> " + r.kid())));
    }
}
