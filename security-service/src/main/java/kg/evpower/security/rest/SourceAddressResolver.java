package kg.evpower.security.rest;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import kg.evpower.security.config.SecurityConfig;

/**
 * The address a request came from: the peer's, unless the peer is a trusted proxy, in which case the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy. Forwarded headers from anyone else are ignored.
 */
@ApplicationScoped
public class SourceAddressResolver {

    private final List<String> trusted;

    @jakarta.inject.Inject
    SourceAddressResolver(SecurityConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    public SourceAddressResolver(List<String> trusted) {
        this.trusted = trusted.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String resolve(String peer, String forwardedFor) {
        if (peer == null || !trusted.contains(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !trusted.contains(hop)) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }
}
