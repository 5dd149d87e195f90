package kg.evpower.gateway.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.gateway.support.Db;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;
import kg.evpower.platform.config.InstanceId;

/**
 * Offline detection driven by the real scheduled job, with its numbers shortened: heartbeat interval 2 s, threshold
 * 2 × 2 s + 1 s = 5 s, job every second, routing records living 1 s and never refreshed (so only the silence rule stands
 * between a station and "offline": the heartbeats alone must keep it online).
 */
@QuarkusTest
@TestProfile(OfflineDetectionTest.FastOffline.class)
@QuarkusTestResource(SecurityServiceStub.class)
class OfflineDetectionTest {

    public static class FastOffline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("evpower.gateway.ocpp.heartbeat-interval", "2s",
                    "evpower.gateway.offline.interval-factor", "2",
                    "evpower.gateway.offline.grace", "1s",
                    "evpower.gateway.offline.every", "1s",
                    "evpower.gateway.routing.ttl", "1s",
                    "evpower.gateway.routing.refresh", "1h");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    InstanceId instanceId;

    @Test
    void silentStationsGoOfflineOnceAndAHeartbeatingOneNeverFlaps() throws Exception {
        String beating = TestStation.newId("hb");
        String silent = TestStation.newId("quiet");
        String orphan = TestStation.newId("orphan");
        try (TestStation h = TestStation.connect(base, beating); TestStation s = TestStation.connect(base, silent)) {
            assertEquals(2, h.boot().getInteger("interval"));
            assertEquals(2, s.boot().getInteger("interval"));
            s.ok("Heartbeat", new JsonObject());
            long silentSince = System.nanoTime();
            // A station whose replica died right after its heartbeat: marked connected there, no routing record.
            Db.rows(pool, """
                    INSERT INTO station (id, connected, instance_id, connected_at, last_message_at,
                        heartbeat_interval_seconds, updated_at)
                    VALUES ($1, true, 'gw-dead-replica', now(), now(), 2, now())""", orphan);
            long orphanSince = System.nanoTime();

            long silentOfflineAt = 0;
            long orphanOfflineAt = 0;
            long lastBeat = System.nanoTime();
            long end = System.nanoTime() + 11_000_000_000L;
            while (System.nanoTime() < end) {
                if (System.nanoTime() - lastBeat >= 2_000_000_000L) {
                    h.ok("Heartbeat", new JsonObject());
                    lastBeat = System.nanoTime();
                }
                if (!connected(beating)) {
                    fail("a station heartbeating at its interval was marked offline");
                }
                if (silentOfflineAt == 0 && !connected(silent)) {
                    silentOfflineAt = System.nanoTime();
                }
                if (orphanOfflineAt == 0 && !connected(orphan)) {
                    orphanOfflineAt = System.nanoTime();
                }
                Thread.sleep(200);
            }
            assertTrue(silentOfflineAt > 0, "silent station marked offline");
            assertTrue(orphanOfflineAt > 0, "station of a dead replica marked offline");
            // Not before its threshold (5 s of silence), and within threshold + a few job runs.
            assertSeconds(silentOfflineAt - silentSince, 4.5, 8.0);
            assertSeconds(orphanOfflineAt - orphanSince, 4.5, 8.0);
            assertFalse(redis.key().exists("gw:station:" + beating), "no routing record: heartbeats alone kept it online");

            List<JsonObject> silentEvents = Db.events(pool, "gateway.station.disconnected", silent);
            assertEquals(1, silentEvents.size(), "one event, whichever job run or replica wins");
            assertEquals("OFFLINE", silentEvents.get(0).getJsonObject("data").getString("reason"));
            assertEquals(instanceId.value(), silentEvents.get(0).getJsonObject("data").getString("instanceId"));
            List<JsonObject> orphanEvents = Db.events(pool, "gateway.station.disconnected", orphan);
            assertEquals(1, orphanEvents.size());
            assertEquals("gw-dead-replica", orphanEvents.get(0).getJsonObject("data").getString("instanceId"));
            assertEquals("OFFLINE", orphanEvents.get(0).getJsonObject("data").getString("reason"));
            assertEquals(0, Db.events(pool, "gateway.station.disconnected", beating).size());
            assertEquals(1, Db.events(pool, "gateway.station.connected", beating).size());

            // The silent station speaks again: connected again, and said so (a second connected event).
            s.ok("Heartbeat", new JsonObject());
            assertTrue(connected(silent));
            assertEquals(2, Db.events(pool, "gateway.station.connected", silent).size());
            assertEquals(instanceId.value(), Db.events(pool, "gateway.station.connected", silent).get(1)
                    .getJsonObject("data").getString("instanceId"));
        }
    }

    private boolean connected(String id) {
        return Db.rows(pool, "SELECT connected FROM station WHERE id = $1", id).iterator().next().getBoolean(0);
    }

    private static void assertSeconds(long nanos, double min, double max) {
        double seconds = nanos / 1e9;
        assertTrue(seconds >= min && seconds <= max, "offline after " + seconds + " s, expected " + min + "–" + max);
    }
}
