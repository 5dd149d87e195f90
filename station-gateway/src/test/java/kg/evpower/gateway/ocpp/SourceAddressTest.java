package kg.evpower.gateway.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.platform.http.TrustedProxies;

/**
 * The source address security-service gets for lock-out and audit (stations behind the nginx API gateway). The test
 * profile trusts 127.0.0.1 and 127.0.1.0/24; the upgrades below come from chosen loopback addresses over a raw socket.
 */
@QuarkusTest
@QuarkusTestResource(SecurityServiceStub.class)
class SourceAddressTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void forwardedForIsBelievedFromATrustedProxyExactOrByRange() throws Exception {
        String viaExact = TestStation.newId("xff");
        assertEquals(101, upgrade("127.0.0.1", viaExact, "198.51.100.9, 203.0.113.5"));
        assertEquals("203.0.113.5", SecurityServiceStub.SOURCES.get(viaExact), "rightmost entry added by nginx");

        // Peer in the trusted CIDR range; a further trusted hop in the header is skipped.
        String viaRange = TestStation.newId("xffr");
        assertEquals(101, upgrade("127.0.1.7", viaRange, "203.0.113.77, 127.0.1.8"));
        assertEquals("203.0.113.77", SecurityServiceStub.SOURCES.get(viaRange));
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        String id = TestStation.newId("spoof");
        assertEquals(101, upgrade("127.0.0.2", id, "203.0.113.5"));
        assertEquals("127.0.0.2", SecurityServiceStub.SOURCES.get(id), "the peer, not what it claims");

        // A wrong password from a spoofing peer is refused and still counted against the peer's address.
        String wrong = TestStation.newId("spoofw");
        SecurityServiceStub.register(wrong, "right", "ACTIVE");
        assertEquals(401, rawUpgrade("127.0.0.2", wrong, "nope", "203.0.113.5"));
        assertEquals("127.0.0.2", SecurityServiceStub.SOURCES.get(wrong));
    }

    @Test
    void trustedProxyRules() {
        var proxies = TrustedProxies.of(List.of("127.0.0.1", "10.0.0.0/8, 192.168.4.0/22", "2001:db8::/32"));
        assertTrue(proxies.trusted("10.200.1.1"));
        assertTrue(proxies.trusted("192.168.7.255"));
        assertFalse(proxies.trusted("192.168.8.0"));
        assertTrue(proxies.trusted("2001:db8:1::5"));
        assertTrue(proxies.trusted("::ffff:127.0.0.1"));
        assertFalse(proxies.trusted("127.0.0.2"));
        assertFalse(proxies.trusted("not-an-ip"));
        assertEquals("198.51.100.1", proxies.sourceAddress("10.0.0.5", List.of("198.51.100.1")));
        assertEquals("198.51.100.1", proxies.sourceAddress("10.0.0.5", List.of("6.6.6.6", "198.51.100.1, 10.1.1.1")));
        assertEquals("2001:db9::1", proxies.sourceAddress("10.0.0.5", List.of("[2001:db9::1]")));
        assertEquals("10.0.0.5", proxies.sourceAddress("10.0.0.5", List.of("garbage")), "unreadable: the proxy itself");
        assertEquals("10.0.0.5", proxies.sourceAddress("10.0.0.5", List.of()));
        assertEquals("8.8.8.8", proxies.sourceAddress("8.8.8.8", List.of("198.51.100.1")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("proxy.example")));
    }

    private int upgrade(String localAddress, String id, String forwardedFor) throws Exception {
        SecurityServiceStub.register(id, "secret-" + id, "ACTIVE");
        return rawUpgrade(localAddress, id, "secret-" + id, forwardedFor);
    }

    /** A WebSocket upgrade written by hand from {@code localAddress}; the HTTP status of the answer. */
    private int rawUpgrade(String localAddress, String id, String password, String forwardedFor) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5000);
            socket.setSoTimeout(10_000);
            String request = "GET /ocpp/" + id + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + base.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: ocpp1.6\r\n"
                    + "Authorization: " + TestStation.basic(id, password) + "\r\n"
                    + "X-Forwarded-For: " + forwardedFor + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
