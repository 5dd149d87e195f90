package kg.evpower.charging.rest;

import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.service.AppError;
import kg.evpower.charging.service.HistoryService;

/** History, stats, favourites and profile of the authenticated client (A3.5). */
@Path("/api/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private final HistoryService history;
    private final CurrentClient client;

    HistoryResource(HistoryService history, CurrentClient client) {
        this.history = history;
        this.client = client;
    }

    @GET
    @Path("/history/charging")
    public Uni<Map<String, Object>> charging(@QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > 100 || offset < 0) {
            throw new AppError(422, "invalid_parameters", "limit must be 1-100 and offset >= 0", null);
        }
        return history.charging(client.id(), limit, offset);
    }

    @GET
    @Path("/history/stats")
    public Uni<Map<String, Object>> stats() {
        return history.stats(client.id());
    }

    @GET
    @Path("/favorites")
    public Uni<Map<String, Object>> favorites() {
        return history.favorites(client.id()).map(ids -> Map.of("success", true, "favorites", ids));
    }

    @POST
    @Path("/favorites")
    public Uni<Map<String, Object>> addFavorite(JsonNode body) {
        JsonNode id = body == null ? null : body.get("location_id");
        if (id == null || !id.canConvertToLong()) {
            throw new AppError(422, "invalid_parameters", "location_id is required", null);
        }
        return history.addFavorite(client.id(), id.asLong())
                .map(existed -> Map.of("success", true, "already_exists", existed));
    }

    @DELETE
    @Path("/favorites/{location_id}")
    public Uni<Map<String, Object>> removeFavorite(@PathParam("location_id") long locationId) {
        return history.removeFavorite(client.id(), locationId).map(removed -> Map.of("success", true));
    }

    @GET
    @Path("/favorites/{location_id}/check")
    public Uni<Map<String, Object>> check(@PathParam("location_id") long locationId) {
        return history.favorites(client.id()).map(ids -> Map.of("success", true, "is_favorite", ids.contains(locationId)));
    }

    @POST
    @Path("/favorites/{location_id}/toggle")
    public Uni<Map<String, Object>> toggle(@PathParam("location_id") long locationId) {
        String id = client.id();
        return history.removeFavorite(id, locationId).chain(removed -> removed
                ? Uni.createFrom().item(Map.<String, Object>of("success", true, "is_favorite", false, "action", "removed"))
                : history.addFavorite(id, locationId)
                        .map(x -> Map.<String, Object>of("success", true, "is_favorite", true, "action", "added")));
    }

    @GET
    @Path("/profile")
    public Uni<Map<String, Object>> profile() {
        return history.profile(client.id(), client.claim("email"), client.claim("phone_number"), client.claim("name"));
    }
}
