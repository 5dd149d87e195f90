package kg.evpower.charging.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** payment-service's internal API (docs/contracts.md). Answers of every status come back as a Response. */
@RegisterRestClient(configKey = "payment-service")
@RegisterClientHeaders(InternalCallHeaders.class)
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface PaymentApi {

    @GET
    @Path("/wallets/{clientId}")
    Uni<Response> wallet(@PathParam("clientId") String clientId);

    @POST
    @Path("/wallets/{clientId}/holds")
    Uni<Response> placeHold(@PathParam("clientId") String clientId, Object body);

    @POST
    @Path("/holds/{holdId}/capture")
    Uni<Response> capture(@PathParam("holdId") String holdId, Object body);

    @POST
    @Path("/holds/{holdId}/release")
    Uni<Response> release(@PathParam("holdId") String holdId, Object body);
}
