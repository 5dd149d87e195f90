package kg.evpower.security.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SourceAddressResolverTest {

    @Test
    void forwardedHeadersAreIgnoredUnlessThePeerIsATrustedProxy() {
        SourceAddressResolver nobodyTrusted = new SourceAddressResolver(List.of());
        assertEquals("203.0.113.9", nobodyTrusted.resolve("203.0.113.9", "1.2.3.4"));

        SourceAddressResolver resolver = new SourceAddressResolver(List.of("10.0.0.1", "10.0.0.2"));
        assertEquals("203.0.113.9", resolver.resolve("203.0.113.9", "1.2.3.4"));
        assertEquals("1.2.3.4", resolver.resolve("10.0.0.1", "1.2.3.4"));
        // A client cannot prepend a fake hop: the right-most untrusted entry counts.
        assertEquals("5.6.7.8", resolver.resolve("10.0.0.1", "1.2.3.4, 5.6.7.8, 10.0.0.2"));
        assertEquals("10.0.0.1", resolver.resolve("10.0.0.1", "10.0.0.2"));
        assertEquals("10.0.0.1", resolver.resolve("10.0.0.1", null));
    }

    @Test
    void adminPaths() {
        for (String p : new String[] {"/admin/charge-points", "/keys/generate", "/status/revoke", "/security/status",
                "/admin/audit"}) {
            assertEquals(true, SecurityRequestFilter.isAdmin(p), p);
        }
        for (String p : new String[] {"/auth/token", "/internal/charge-points/x", "/.well-known/jwks.json", "/statusx",
                "/q/health"}) {
            assertEquals(false, SecurityRequestFilter.isAdmin(p), p);
        }
    }
}
