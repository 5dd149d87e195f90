package kg.evpower.charging.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import io.quarkus.rest.client.reactive.ReactiveClientHeadersFactory;
import io.smallrye.mutiny.Uni;
import kg.evpower.platform.correlation.CorrelationId;

/**
 * Headers of every call to another service's {@code /internal/**}: the correlation id, and (once the platform's
 * {@code kg.evpower.platform.auth.ServiceTokens} is released) the service token. This is the one place to wire it.
 */
@ApplicationScoped
public class InternalCallHeaders extends ReactiveClientHeadersFactory {

    @Override
    public Uni<MultivaluedMap<String, String>> getHeaders(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        String correlationId = CorrelationId.current();
        if (correlationId != null) {
            headers.add(CorrelationId.HEADER, correlationId);
        }
        return Uni.createFrom().item(headers);
    }
}
