package kg.evpower.security.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import kg.evpower.security.service.EncryptionKeyService;

/**
 * Encrypts and decrypts payloads with a charge point's key. Payload = base64( 4-byte key version ‖ 12-byte nonce ‖
 * ciphertext ‖ 16-byte tag ), AES-256-GCM, associated data binding charge point and version (docs/security-service.md).
 */
@Path("/internal/crypto/{cpId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InternalCryptoResource {

    public record EncryptRequest(String plaintext) {
    }

    public record DecryptRequest(String payload) {
    }

    public record EncryptResponse(String cpId, int keyVersion, String payload) {
    }

    public record DecryptResponse(String cpId, int keyVersion, String plaintext) {
    }

    private final EncryptionKeyService keys;
    private final RequestCaller caller;

    InternalCryptoResource(EncryptionKeyService keys, RequestCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Path("/encrypt")
    public Uni<EncryptResponse> encrypt(@PathParam("cpId") String cpId, EncryptRequest request) {
        Require.body(request);
        return keys.encrypt(cpId, Require.text(request.plaintext(), "plaintext"), caller.caller())
                .map(e -> new EncryptResponse(e.cpId(), e.keyVersion(), e.payload()));
    }

    @POST
    @Path("/decrypt")
    public Uni<DecryptResponse> decrypt(@PathParam("cpId") String cpId, DecryptRequest request) {
        Require.body(request);
        return keys.decrypt(cpId, Require.text(request.payload(), "payload"), caller.caller())
                .map(d -> new DecryptResponse(d.cpId(), d.keyVersion(), d.plaintext()));
    }
}
