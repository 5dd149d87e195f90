package kg.evpower.charging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.charging.support.AppSocket;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;
import kg.evpower.charging.support.Tokens;

/** The app socket /api/v1/ws/locations: authentication, channels, live status, session progress, Redis fan-out. */
@QuarkusTest
class LocationsSocketTest extends ChargingTestBase {

    @TestHTTPResource("/api/v1/ws/locations")
    URI http;

    @ConfigProperty(name = "evpower.charging.live.channel")
    String liveChannel;

    URI ws(String query) {
        return URI.create(http.toString().replaceFirst("^http", "ws") + (query == null ? "" : "?" + query));
    }

    AppSocket bearer(String clientId) throws Exception {
        return AppSocket.open(ws(null), Map.of("Authorization", "Bearer " + Tokens.client(clientId)));
    }

    long location() {
        return pool.preparedQuery("INSERT INTO location (name) VALUES ('live') RETURNING id").executeAndAwait()
                .iterator().next().getLong(0);
    }

    String stationIn(long location) {
        String st = station(null);
        pool.preparedQuery("UPDATE station SET location_id = $1 WHERE id = $2").executeAndAwait(Tuple.of(location, st));
        return st;
    }

    void connectorStatus(String st, int connector, String status) {
        gatewayEvent("gateway.connector.status-changed", st, Map.of("chargePointId", st, "connectorId", connector,
                "status", status, "errorCode", "NoError", "timestamp", Instant.now().toString()));
    }

    static int handshakeStatus(ExecutionException e) {
        assertTrue(e.getCause() instanceof WebSocketHandshakeException, e.toString());
        return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }

    @Test
    void refusesTheUpgradeWithoutAValidToken() {
        ExecutionException none = assertThrows(ExecutionException.class, () -> AppSocket.open(ws(null), Map.of()));
        assertEquals(401, handshakeStatus(none));
        ExecutionException forged = assertThrows(ExecutionException.class,
                () -> AppSocket.open(ws("token=" + Tokens.hs256("c1")), Map.of()));
        assertEquals(401, handshakeStatus(forged));
        ExecutionException issuer = assertThrows(ExecutionException.class, () -> AppSocket.open(ws(null),
                Map.of("Authorization", "Bearer " + Tokens.wrongIssuer("c1"))));
        assertEquals(401, handshakeStatus(issuer));
        ExecutionException origin = assertThrows(ExecutionException.class, () -> AppSocket.open(ws(null),
                Map.of("Authorization", "Bearer " + Tokens.client("c1"), "Origin", "https://evil.example")));
        assertEquals(403, handshakeStatus(origin));
    }

    @Test
    void tokenInTheQueryConnectsAndAnswersPingAndBadMessages() throws Exception {
        String client = client(0);
        try (AppSocket s = AppSocket.open(ws("token=" + Tokens.client(client)), Map.of())) {
            JsonObject hello = s.next("connection");
            assertEquals("connected", hello.getString("status"));
            assertEquals(client, hello.getString("client_id"));
            s.send("{\"action\":\"ping\"}");
            assertNotNull(s.next("pong"));
            s.send("not json");
            assertEquals("invalid_message", s.next("error").getString("error"));
            s.send("{\"action\":\"dance\",\"channel\":\"all\"}");
            assertEquals("invalid_action", s.next("error").getString("error"));
            s.send("{\"action\":\"subscribe\",\"channel\":\"location:abc\"}");
            assertEquals("invalid_channel", s.next("error").getString("error"));
            s.send("{\"action\":\"subscribe\",\"channel\":\"station:X\"}");
            assertEquals("invalid_channel", s.next("error").getString("error"));
            // nothing was subscribed by the refused messages
            s.send("{\"action\":\"unsubscribe\",\"channel\":\"all\"}");
            assertEquals(List.of(), s.next("subscription").getJsonArray("channels").getList());
        }
    }

    @Test
    void subscribersOfTheLocationGetConnectorStationAndLocationUpdates() throws Exception {
        long location = location();
        String st = stationIn(location);
        String other = stationIn(location());
        try (AppSocket stations = bearer(client(0)); AppSocket loc = bearer(client(0));
                AppSocket none = bearer(client(0))) {
            stations.send("{\"action\":\"subscribe\",\"channel\":\"location_stations:" + location + "\"}");
            JsonObject sub = stations.next("subscription");
            assertEquals("subscribed", sub.getString("status"));
            loc.send("{\"action\":\"subscribe\",\"channel\":\"location:" + location + "\"}");
            loc.next("subscription");

            connectorStatus(other, 1, "Charging"); // another location: not for these subscribers
            connectorStatus(st, 2, "Charging");
            JsonObject c = stations.next("connector_status_update");
            assertEquals(st, c.getString("station_id"));
            assertEquals(2, c.getInteger("connector_id"));
            assertEquals("occupied", c.getString("status"));
            assertEquals("Charging", c.getString("ocpp_status"));
            JsonObject station = stations.next("station_status_update");
            assertEquals(st, station.getString("station_id"));
            assertEquals("available", station.getString("status")); // connector 1 is still available
            assertEquals(1, station.getInteger("occupied_connectors"));

            JsonObject l = loc.next("location_status_update");
            assertEquals(location, l.getLong("location_id"));
            assertEquals("available", l.getString("status"));
            assertNull(loc.next(m -> "connector_status_update".equals(m.getString("type")), Duration.ofMillis(500)));

            gatewayEvent("gateway.station.disconnected", st, Map.of("chargePointId", st, "instanceId", "gw-1",
                    "reason", "closed"));
            JsonObject offline = stations.next(m -> "station_status_update".equals(m.getString("type"))
                    && "offline".equals(m.getString("status")), Duration.ofSeconds(15));
            assertNotNull(offline);
            assertEquals(false, offline.getBoolean("online"));
            assertEquals("offline", loc.next("location_status_update").getString("status"));

            // unsubscribed: no more updates of that location
            stations.send("{\"action\":\"unsubscribe\",\"channel\":\"location_stations:" + location + "\"}");
            assertEquals("unsubscribed", stations.next("subscription").getString("status"));
            connectorStatus(st, 1, "Faulted");
            assertNotNull(loc.next("location_status_update")); // proves the event was applied
            assertNull(stations.next(m -> m.getString("type").endsWith("_update"), Duration.ofSeconds(1)));
            assertNull(none.next(m -> m.getString("type").endsWith("_update"), Duration.ofMillis(200)));
        }
        assertEquals("Faulted", pool.preparedQuery("SELECT status FROM connector WHERE station_id = $1 AND connector_number = 1")
                .executeAndAwait(Tuple.of(st)).iterator().next().getString(0));
    }

    @Test
    void anUpdatePublishedByAnotherReplicaReachesTheSubscribersHere() throws Exception {
        try (AppSocket all = bearer(client(0))) {
            all.send("{\"action\":\"subscribe\",\"channel\":\"all\"}");
            all.next("subscription");
            // what another replica's LiveUpdates publishes on the shared Redis channel
            String update = mapper.writeValueAsString(Map.of("channels", List.of("all", "location_stations:999999"),
                    "message", Map.of("type", "connector_status_update", "station_id", "REMOTE-1", "connector_id", 1,
                            "status", "faulted")));
            redis.pubsub(String.class).publish(liveChannel, update);
            JsonObject m = all.next("connector_status_update");
            assertEquals("REMOTE-1", m.getString("station_id"));
        }
    }

    @Test
    void theOwnerSeesSessionStartProgressAndFinalCost() throws Exception {
        long plan = plan("live");
        rule(plan, "per_kwh", 1000);
        String st = station(plan);
        String owner = client(100_000);
        String stranger = client(100_000);
        try (AppSocket mine = bearer(owner); AppSocket theirs = bearer(stranger)) {
            mine.next("connection");
            String sessionId = start(owner, Map.of("station_id", st, "connector_id", 1, "amount_som", 100))
                    .statusCode(200).extract().path("session_id");
            String idTag = PeerStubs.commands(st, "RemoteStartTransaction").get(0).payload().getString("idTag");
            transactionStarted(st, 1, 8101, idTag, 0);
            JsonObject started = mine.next(m -> "session_update".equals(m.getString("type"))
                    && "started".equals(m.getString("event")), Duration.ofSeconds(15));
            assertNotNull(started);
            assertEquals(sessionId, started.getString("session_id"));
            meter(st, 1, 8101, 2500);
            JsonObject progress = mine.next(m -> "progress".equals(m.getString("event")), Duration.ofSeconds(15));
            assertEquals(2.5, progress.getDouble("energy_consumed"));
            assertEquals(25.0, progress.getDouble("current_cost"));
            transactionStopped(st, 1, 8101, idTag, 0, 3000);
            JsonObject stopped = mine.next(m -> "stopped".equals(m.getString("event")), Duration.ofSeconds(15));
            assertEquals("stopped", stopped.getString("status"));
            assertEquals(30.0, stopped.getDouble("final_cost"));
            assertNull(theirs.next(m -> "session_update".equals(m.getString("type")), Duration.ofMillis(300)));
        }
    }
}
