package kg.evpower.platform.probe;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import io.smallrye.mutiny.Uni;
import kg.evpower.platform.correlation.CorrelationId;
import kg.evpower.platform.problem.ProblemException;

@Path("/probe")
public class ProbeResource {

    public record ItemRequest(@NotBlank @Size(max = 100) String name, @NotNull @Min(1) @Max(10) Integer quantity) {
    }

    private final ProbeService service;

    ProbeResource(ProbeService service) {
        this.service = service;
    }

    @POST
    @Path("/items")
    public Uni<Map<String, Object>> create(@Valid ItemRequest request) {
        return service.create(request.name(), false)
                .map(e -> Map.of("eventId", e.id().toString(), "correlationId", String.valueOf(e.correlationId())));
    }

    @GET
    @Path("/correlation")
    public Map<String, String> correlation() {
        return Map.of("correlationId", CorrelationId.current());
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internal detail s3cr3t");
    }

    @GET
    @Path("/async-boom")
    public Uni<String> asyncBoom() {
        return Uni.createFrom().failure(new IllegalArgumentException("another internal detail s3cr3t"));
    }

    @GET
    @Path("/refused")
    public String refused() {
        throw ProblemException.conflict("PROBE_REFUSED", "The probe refuses on purpose.");
    }
}
