package kg.evpower.platform.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address a request came from, for rate limits and logs: the TCP peer, or behind a trusted proxy
 * ({@code evpower.http.trusted-proxies}, from {@code EVPOWER_TRUSTED_PROXIES}: IPs and CIDR ranges) the client it
 * names in {@code X-Forwarded-For}.
 */
@ApplicationScoped
public class ClientAddress {

    private final TrustedProxies proxies;

    ClientAddress(@ConfigProperty(name = "evpower.http.trusted-proxies") List<String> trusted) {
        this.proxies = TrustedProxies.of(trusted);
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String source = proxies.sourceAddress(peer, request.headers().getAll("X-Forwarded-For"));
        return source == null ? "unknown" : source;
    }
}
