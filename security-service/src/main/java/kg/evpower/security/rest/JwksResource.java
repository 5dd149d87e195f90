package kg.evpower.security.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import kg.evpower.security.service.SigningKeyService;

/** The public keys that verify every token security-service signs (charge-point and service tokens). */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final SigningKeyService keys;

    JwksResource(SigningKeyService keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        return Response.ok(keys.jwks()).header("Cache-Control", "max-age=60").build();
    }
}
