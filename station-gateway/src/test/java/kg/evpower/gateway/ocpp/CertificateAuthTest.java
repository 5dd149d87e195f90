package kg.evpower.gateway.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.gateway.support.TlsStores;

/**
 * OCPP security profile 3: the gateway serves TLS itself ({@code client-auth=request}, a trust store with the CA of
 * station certificates); a station presenting a CA-signed certificate whose CN is its id connects without a password,
 * subject to its status at security-service; anything else is refused before the upgrade.
 */
@QuarkusTest
@TestProfile(CertificateAuthTest.Tls.class)
class CertificateAuthTest {

    public static class Tls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TlsStores.class), new TestResourceEntry(SecurityServiceStub.class));
        }
    }

    private static URI wss(String id) {
        return URI.create("wss://127.0.0.1:" + TlsStores.sslPort + "/ocpp/" + id);
    }

    /** Opens wss:// presenting {@code holder}'s certificate; the WebSocket, or the failure. */
    private static CompletableFuture<WebSocket> open(String holder, String id, String authorization,
            LinkedBlockingQueue<String> received) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TlsStores.clientContext(holder))
                .connectTimeout(Duration.ofSeconds(5)).build();
        WebSocket.Builder builder = client.newWebSocketBuilder().subprotocols("ocpp1.6");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.buildAsync(wss(id), new WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                received.add(data.toString());
                socket.request(1);
                return null;
            }
        });
    }

    /** The HTTP status of the refused upgrade, or -1 when the TLS handshake itself failed. */
    private static int refused(String holder, String id, String authorization) throws Exception {
        try {
            WebSocket socket = open(holder, id, authorization, new LinkedBlockingQueue<>()).get(10, TimeUnit.SECONDS);
            socket.abort();
            throw new AssertionError("upgrade of " + id + " with the certificate of " + holder + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            return -1;
        }
    }

    @Test
    void stationWithItsOwnCertificateConnectsWithoutPassword() throws Exception {
        SecurityServiceStub.register(TlsStores.STATION, "not-sent-" + UUID.randomUUID(), "ACTIVE");
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = open(TlsStores.STATION, TlsStores.STATION, null, received).get(10, TimeUnit.SECONDS);
        try {
            assertEquals("ocpp1.6", socket.getSubprotocol());
            String messageId = UUID.randomUUID().toString();
            socket.sendText(new JsonArray().add(2).add(messageId).add("BootNotification").add(new JsonObject()
                    .put("chargePointVendor", "EvTest").put("chargePointModel", "TLS")).encode(), true).join();
            JsonArray answer = new JsonArray(received.poll(10, TimeUnit.SECONDS));
            assertEquals(3, answer.getInteger(0), answer::encode);
            assertEquals(messageId, answer.getString(1));
            assertEquals("Accepted", answer.getJsonObject(2).getString("status"));
        } finally {
            socket.abort();
        }
    }

    @Test
    void outOfServiceHolderIsAdmittedRevokedAndUnknownAreNot() throws Exception {
        SecurityServiceStub.register(TlsStores.REVOKED, "x", "OUT_OF_SERVICE");
        WebSocket socket = open(TlsStores.REVOKED, TlsStores.REVOKED, null, new LinkedBlockingQueue<>())
                .get(10, TimeUnit.SECONDS);
        socket.abort();
        SecurityServiceStub.status(TlsStores.REVOKED, "REVOKED");
        assertEquals(401, refused(TlsStores.REVOKED, TlsStores.REVOKED, null));
        // A valid certificate of a charge point security-service does not know.
        assertEquals(401, refused(TlsStores.UNKNOWN, TlsStores.UNKNOWN, null));
    }

    @Test
    void certificateOfAnotherIdUntrustedOrNoneIsRefused() throws Exception {
        SecurityServiceStub.register(TlsStores.STATION, "pw-" + UUID.randomUUID(), "ACTIVE");
        SecurityServiceStub.register(TlsStores.UNTRUSTED, "pw", "ACTIVE");
        // The certificate of tls-station-1 does not open the socket of another charge point.
        SecurityServiceStub.register("tls-other-1", "pw", "ACTIVE");
        assertEquals(401, refused(TlsStores.STATION, "tls-other-1", null));
        // No certificate and no credentials.
        assertEquals(401, refused(null, TlsStores.STATION, null));
        // A self-signed certificate: refused by the handshake or, at the latest, before the upgrade.
        int untrusted = refused(TlsStores.UNTRUSTED, TlsStores.UNTRUSTED, null);
        assertTrue(untrusted == -1 || untrusted == 401, "untrusted certificate answered " + untrusted);
    }

    @Test
    void basicCredentialsStillWorkOverTls() throws Exception {
        String id = TestStation.newId("tls-basic");
        SecurityServiceStub.register(id, "secret-" + id, "ACTIVE");
        WebSocket socket = open(null, id, TestStation.basic(id, "secret-" + id), new LinkedBlockingQueue<>())
                .get(10, TimeUnit.SECONDS);
        socket.abort();
        assertEquals(401, refused(null, id, TestStation.basic(id, "wrong")));
    }
}
