package kg.evpower.charging;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;

/** The critical limit fails closed: with the limiter's Redis unreachable, start and stop answer 503 and do nothing. */
@QuarkusTest
@TestProfile(RateLimitRedisDownTest.LimiterRedisDown.class)
class RateLimitRedisDownTest extends ChargingTestBase {

    public static class LimiterRedisDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a port nothing listens on: only the limiter's named client points there
            return Map.of("quarkus.redis.ratelimit.hosts", "redis://127.0.0.1:1");
        }
    }

    @Inject
    MeterRegistry registry;

    double unavailable() {
        var c = registry.find("evpower.charging.rate.limit").tag("bucket", "critical").tag("outcome", "unavailable")
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void startAndStopAreRefusedWith503AndChangeNothing() {
        String st = station(null);
        String clientId = client(100_000);
        double before = unavailable();
        start(clientId, Map.of("station_id", st, "connector_id", 1)).statusCode(503)
                .body("success", equalTo(false)).body("error", equalTo("service_unavailable"));
        stop(clientId, UUID.randomUUID().toString()).statusCode(503).body("error", equalTo("service_unavailable"));
        assertEquals(2, unavailable() - before);
        assertEquals(0, count("SELECT count(*) FROM charging_session WHERE client_id = $1", clientId));
        assertTrue(PeerStubs.holdsOf(clientId).isEmpty());
        assertEquals(0, PeerStubs.commands(st, "RemoteStartTransaction").size());
        // the rest of the API (and the main Redis) still works
        status(clientId, UUID.randomUUID().toString()).statusCode(404);
    }
}
