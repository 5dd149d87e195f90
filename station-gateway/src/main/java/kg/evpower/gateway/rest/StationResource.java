package kg.evpower.gateway.rest;

import java.util.List;

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

import io.smallrye.mutiny.Uni;
import kg.evpower.gateway.service.CommandResult;
import kg.evpower.gateway.service.CommandService;
import kg.evpower.gateway.service.StationQueryService;
import kg.evpower.platform.correlation.CorrelationId;
import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.ProblemException;
import kg.evpower.platform.problem.Problems;

/** Live station state and commands (docs/contracts.md, station-gateway). */
@Path("/internal/stations")
@Produces(MediaType.APPLICATION_JSON)
public class StationResource {

    /** A command answered with a station CALLERROR: the problem body plus the station's code and description. */
    public record CallErrorProblem(String type, String title, int status, String detail, String code,
            String correlationId, String ocppErrorCode, String ocppErrorDescription) {
    }

    public record CommandAnswer(String action, String messageId, JsonNode payload) {
    }

    private final StationQueryService stations;
    private final CommandService commands;

    StationResource(StationQueryService stations, CommandService commands) {
        this.stations = stations;
        this.commands = commands;
    }

    @GET
    public Uni<List<StationQueryService.Station>> list() {
        return stations.list();
    }

    @GET
    @Path("/{id}")
    public Uni<StationQueryService.Station> get(@PathParam("id") String id) {
        return stations.find(id).map(found -> found.orElseThrow(
                () -> ProblemException.notFound("STATION_NOT_FOUND", "No station " + id + " is known")));
    }

    @POST
    @Path("/{id}/commands/{action}")
    public Uni<Response> command(@PathParam("id") String id, @PathParam("action") String action, JsonNode payload) {
        String correlationId = CorrelationId.currentOrNew();
        return commands.send(id, action, payload, correlationId).map(StationResource::toResponse);
    }

    @GET
    @Path("/{id}/commands")
    public Uni<List<CommandService.LoggedCommand>> commandLog(@PathParam("id") String id,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw ProblemException.badRequest("VALIDATION_FAILED", "page must be >= 0 and size between 1 and 500");
        }
        return commands.log(id, page, size);
    }

    static Response toResponse(CommandResult result) {
        if (result.status() == 200) {
            return Response.ok(new CommandAnswer(result.action(), result.messageId(), result.payload())).build();
        }
        String title = Problems.titleOf(result.status());
        if ("STATION_CALL_ERROR".equals(result.code())) {
            return Response.status(result.status()).type(Problem.MEDIA_TYPE)
                    .entity(new CallErrorProblem(Problem.typeOf(result.code()), title, result.status(), result.detail(),
                            result.code(), CorrelationId.current(), result.ocppErrorCode(),
                            result.ocppErrorDescription()))
                    .build();
        }
        return Problems.response(result.status(), result.code(), title, result.detail());
    }
}
