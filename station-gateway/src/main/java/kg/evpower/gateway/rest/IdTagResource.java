package kg.evpower.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import kg.evpower.gateway.service.IdTagService;
import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.ProblemException;

/** Id tags the gateway authorises with, managed by charging-service. */
@Path("/internal/id-tags/{idTag}")
@Produces(MediaType.APPLICATION_JSON)
public class IdTagResource {

    public record IdTagRequest(String status, Instant expiryDate, String parentIdTag, String clientId) {
    }

    private static final Set<String> STATUSES = Set.of("Accepted", "Blocked", "Expired", "Invalid");

    private final IdTagService idTags;

    IdTagResource(IdTagService idTags) {
        this.idTags = idTags;
    }

    @PUT
    public Uni<IdTagService.IdTag> put(@PathParam("idTag") String idTag, IdTagRequest request) {
        if (idTag.length() > 20) {
            throw new ProblemException(400, "VALIDATION_FAILED", "Bad request", "An id tag has at most 20 characters",
                    List.of(new Problem.FieldError("idTag", "at most 20 characters")));
        }
        if (request == null || request.status() == null || !STATUSES.contains(request.status())) {
            throw new ProblemException(400, "VALIDATION_FAILED", "Bad request", "status is required",
                    List.of(new Problem.FieldError("status", "one of " + STATUSES)));
        }
        if (request.parentIdTag() != null && request.parentIdTag().length() > 20) {
            throw new ProblemException(400, "VALIDATION_FAILED", "Bad request", "parentIdTag is too long",
                    List.of(new Problem.FieldError("parentIdTag", "at most 20 characters")));
        }
        return idTags.put(idTag, request.status(), request.expiryDate(), request.parentIdTag(), request.clientId());
    }

    @GET
    public Uni<IdTagService.IdTag> get(@PathParam("idTag") String idTag) {
        return idTags.find(idTag).map(found -> found.orElseThrow(
                () -> ProblemException.notFound("ID_TAG_NOT_FOUND", "No id tag " + idTag)));
    }

    @DELETE
    public Uni<Void> delete(@PathParam("idTag") String idTag) {
        return idTags.delete(idTag).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("ID_TAG_NOT_FOUND", "No id tag " + idTag);
            }
            return null;
        });
    }
}
