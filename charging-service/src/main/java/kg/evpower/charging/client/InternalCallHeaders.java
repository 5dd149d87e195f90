package kg.evpower.charging.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import io.quarkus.rest.client.reactive.ReactiveClientHeadersFactory;
import io.smallrye.mutiny.Uni;
import kg.evpower.platform.auth.ServiceTokens;
import kg.evpower.platform.correlation.CorrelationId;

/**
 * Headers of every call to another service's {@code /internal/**}: this service's token from security-service
 * (platform {@link ServiceTokens}, cached and renewed) and the correlation id.
 */
@ApplicationScoped
public class InternalCallHeaders extends ReactiveClientHeadersFactory {

    private final ServiceTokens tokens;

    InternalCallHeaders(ServiceTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<MultivaluedMap<String, String>> getHeaders(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        String correlationId = CorrelationId.current();
        if (correlationId != null) {
            headers.add(CorrelationId.HEADER, correlationId);
        }
        return tokens.authorizationHeader().map(bearer -> {
            headers.add("Authorization", bearer);
            return headers;
        });
    }
}
