package kg.evpower.charging.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** station-gateway's internal API (docs/contracts.md). Answers of every status come back as a Response. */
@RegisterRestClient(configKey = "station-gateway")
@RegisterClientHeaders(InternalCallHeaders.class)
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface GatewayApi {

    @GET
    @Path("/stations/{id}")
    Uni<Response> station(@PathParam("id") String stationId);

    @POST
    @Path("/stations/{id}/commands/{action}")
    Uni<Response> command(@PathParam("id") String stationId, @PathParam("action") String action, Object payload);

    @PUT
    @Path("/id-tags/{idTag}")
    Uni<Response> putIdTag(@PathParam("idTag") String idTag, Object body);
}
