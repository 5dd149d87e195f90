package kg.evpower.platform.probe;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;

import kg.evpower.platform.auth.ServiceAuthFilter;
import kg.evpower.platform.auth.ServiceTokenVerifier;

@Path("/internal/probe")
public class InternalProbeResource {

    @GET
    public Map<String, String> whoAmI(@Context ContainerRequestContext request) {
        ServiceTokenVerifier.Caller caller = (ServiceTokenVerifier.Caller) request.getProperty(ServiceAuthFilter.CALLER);
        return Map.of("caller", caller.subject());
    }
}
