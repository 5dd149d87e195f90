package kg.evpower.platform.correlation;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Takes {@code X-Correlation-ID} from the request (or makes one), keeps it for the request and echoes it back. */
public class CorrelationIdFilter {

    private static final String PROPERTY = CorrelationIdFilter.class.getName();

    @ServerRequestFilter(preMatching = true)
    public void onRequest(ContainerRequestContext request) {
        String id = CorrelationId.adopt(request.getHeaderString(CorrelationId.HEADER));
        request.setProperty(PROPERTY, id);
    }

    @ServerResponseFilter
    public void onResponse(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        String value = id != null ? id.toString() : CorrelationId.currentOrNew();
        response.getHeaders().putSingle(CorrelationId.HEADER, value);
    }
}
