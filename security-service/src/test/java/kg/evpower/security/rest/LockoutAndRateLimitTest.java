package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.from;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.platform.testing.CalendarMinute;
import kg.evpower.security.support.Api;

/** Test profile: lock-out after 3 failures, 10 auth and 40 admin requests per address and minute. */
@QuarkusTest
class LockoutAndRateLimitTest {

    @Inject
    Pool pool;

    private io.restassured.response.ValidatableResponse authenticate(String cpId, String password, String source) {
        return Api.internal().body(Map.of("password", password, "sourceAddress", source))
                .post("/internal/charge-points/" + cpId + "/authenticate").then().statusCode(200);
    }

    @Test
    void chargePointIsLockedOutAfterRepeatedFailuresEvenWithTheRightPassword() {
        String cpId = newCpId();
        String key = register(cpId);
        authenticate(cpId, "wrong-1", Api.randomAddress()).body("authenticated", equalTo(false)).body("lockedOut", equalTo(false));
        authenticate(cpId, "wrong-2", Api.randomAddress()).body("lockedOut", equalTo(false));
        authenticate(cpId, "wrong-3", Api.randomAddress()).body("authenticated", equalTo(false)).body("lockedOut", equalTo(true));
        authenticate(cpId, key, Api.randomAddress()).body("authenticated", equalTo(false)).body("lockedOut", equalTo(true))
                .body("known", equalTo(true)).body("status", equalTo("ACTIVE"));
        assertEquals(3, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'AUTH_BASIC'"
                + " AND outcome = 'FAILURE'", cpId));
        assertEquals(1, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'AUTH_BASIC'"
                + " AND outcome = 'DENIED' AND reason LIKE 'LOCKED_OUT%'", cpId));
        // The public endpoint answers the lock-out as 429.
        Api.anon().body(Map.of("cp_id", cpId, "credentials", key)).post("/auth/credentials")
                .then().statusCode(429).body("code", equalTo("LOCKED_OUT"));
    }

    @Test
    void sourceAddressIsLockedOutAcrossChargePoints() {
        String source = Api.randomAddress();
        String a = newCpId();
        String keyA = register(a);
        for (int i = 0; i < 3; i++) {
            authenticate("CP-UNKNOWN-" + i + a, "guess-" + i, source).body("known", equalTo(false))
                    .body("status", equalTo("UNKNOWN"));
        }
        authenticate(a, keyA, source).body("authenticated", equalTo(false)).body("lockedOut", equalTo(true));
        authenticate(a, keyA, Api.randomAddress()).body("authenticated", equalTo(true)).body("lockedOut", equalTo(false));
    }

    @Test
    void successClearsTheChargePointsFailures() {
        String cpId = newCpId();
        String key = register(cpId);
        authenticate(cpId, "wrong-1", Api.randomAddress());
        authenticate(cpId, "wrong-2", Api.randomAddress());
        authenticate(cpId, key, Api.randomAddress()).body("authenticated", equalTo(true));
        authenticate(cpId, "wrong-3", Api.randomAddress()).body("lockedOut", equalTo(false));
        assertTrue(count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'AUTH_BASIC'"
                + " AND outcome = 'SUCCESS'", cpId) == 1);
    }

    @Test
    void authEndpointsAreRateLimitedPerAddress() {
        CalendarMinute.awaitRoom(Duration.ofSeconds(20));
        String source = Api.randomAddress();
        for (int i = 0; i < 10; i++) {
            from(source).body(Map.of("cp_id", "CP-RL-" + i, "token", "x.y.z")).post("/auth/token").then().statusCode(200);
        }
        from(source).body(Map.of("cp_id", "CP-RL-X", "token", "x.y.z")).post("/auth/token")
                .then().statusCode(429).body("code", equalTo("RATE_LIMITED")).header("Retry-After", "60");
        from(source).body(Map.of("client_id", "x", "client_secret", "y")).post("/auth/service-token").then().statusCode(429);
        from(Api.randomAddress()).body(Map.of("cp_id", "CP-RL-X", "token", "x.y.z")).post("/auth/token").then().statusCode(200);
    }

    @Test
    void adminEndpointsAreRateLimitedPerAddressEvenForWrongKeys() {
        CalendarMinute.awaitRoom(Duration.ofSeconds(20));
        String source = Api.randomAddress();
        for (int i = 0; i < 40; i++) {
            from(source).header("X-Admin-Key", "wrong").get("/security/status").then().statusCode(401);
        }
        from(source).header("X-Admin-Key", Api.ADMIN_KEY).get("/security/status").then().statusCode(429)
                .body("code", equalTo("RATE_LIMITED"));
    }
}
