package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static kg.evpower.security.support.Api.rows;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import kg.evpower.security.support.Api;

/**
 * The station credential check (POST /internal/charge-points/{cpId}/authenticate) and what it leaves in the database:
 * exactly one AUTH_BASIC audit row per check, last_authenticated_at only for a successful check of a non-REVOKED
 * charge point.
 */
@QuarkusTest
class StationAuthenticationTest {

    @Inject
    Pool pool;

    private static ValidatableResponse authenticate(String cpId, String password, String source, String correlationId) {
        return Api.internal().header("X-Correlation-ID", correlationId)
                .body(Map.of("password", password, "sourceAddress", source))
                .post("/internal/charge-points/" + cpId + "/authenticate").then().statusCode(200);
    }

    /** A charge point with a generated key (salted SHA-256, checked on the calling thread); returns the key. */
    private static String registerGenerated(String cpId) {
        return admin().body(Map.of("cp_id", cpId, "location", "Talas, Manas 3")).post("/admin/charge-points")
                .then().statusCode(201).extract().path("authorization_key");
    }

    private List<Row> authRows(String cpId) {
        return rows(pool, "SELECT actor, source_address, action, outcome, severity, cp_id, reason, correlation_id,"
                + " occurred_at FROM audit_event WHERE cp_id = $1 AND action = 'AUTH_BASIC' ORDER BY id", cpId);
    }

    private OffsetDateTime lastAuthenticatedAt(String cpId) {
        return rows(pool, "SELECT last_authenticated_at FROM charge_point WHERE cp_id = $1", cpId).getFirst()
                .getOffsetDateTime("last_authenticated_at");
    }

    private void assertOneSuccess(String cpId, String source, String correlationId, String reason,
            OffsetDateTime before, OffsetDateTime after) {
        List<Row> audit = authRows(cpId);
        assertEquals(1, audit.size(), "exactly one AUTH_BASIC row");
        Row row = audit.getFirst();
        assertEquals("cp:" + cpId, row.getString("actor"));
        assertEquals("SUCCESS", row.getString("outcome"));
        assertEquals("INFO", row.getString("severity"));
        assertEquals(cpId, row.getString("cp_id"));
        assertEquals(source, row.getString("source_address"));
        assertEquals(correlationId, row.getString("correlation_id"));
        assertEquals(reason, row.getString("reason"));
        OffsetDateTime at = lastAuthenticatedAt(cpId);
        assertNotNull(at, "last_authenticated_at written");
        assertFalse(at.isBefore(before) || at.isAfter(after), at + " not within the request");
        assertEquals(at.toInstant(), row.getOffsetDateTime("occurred_at").toInstant(), "written together, one time");
    }

    @Test
    void aGeneratedKeyWritesOneSuccessRowAndTheLastAuthenticationTime() {
        String cpId = newCpId();
        String key = registerGenerated(cpId);
        assertNull(lastAuthenticatedAt(cpId));
        String source = Api.randomAddress();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        authenticate(cpId, key, source, "station-auth-" + cpId)
                .body("authenticated", equalTo(true)).body("known", equalTo(true))
                .body("status", equalTo("ACTIVE")).body("lockedOut", equalTo(false));
        assertOneSuccess(cpId, source, "station-auth-" + cpId, null, before, OffsetDateTime.now().plusSeconds(1));
        assertEquals(0, count(pool, "SELECT count(*) FROM audit_event WHERE reason LIKE '%' || $1 || '%'", key));
    }

    @Test
    void anOperatorsKeyWritesOneSuccessRowAndTheLastAuthenticationTime() {
        String cpId = newCpId();
        String key = register(cpId);
        String source = Api.randomAddress();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        authenticate(cpId, key, source, "station-auth-" + cpId).body("authenticated", equalTo(true));
        assertOneSuccess(cpId, source, "station-auth-" + cpId, null, before, OffsetDateTime.now().plusSeconds(1));
    }

    @Test
    void outOfServiceAuthenticatesAndSaysSoInTheAuditRow() {
        String cpId = newCpId();
        String key = registerGenerated(cpId);
        Api.status(cpId, "out-of-service", "maintenance");
        String source = Api.randomAddress();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        authenticate(cpId, key, source, "station-auth-" + cpId)
                .body("authenticated", equalTo(true)).body("status", equalTo("OUT_OF_SERVICE"));
        assertOneSuccess(cpId, source, "station-auth-" + cpId, "OUT_OF_SERVICE", before, OffsetDateTime.now().plusSeconds(1));
    }

    @Test
    void aRevokedChargePointsRightKeyIsDeniedAndLeavesTheLastAuthenticationTimeAlone() {
        String cpId = newCpId();
        String key = registerGenerated(cpId);
        authenticate(cpId, key, Api.randomAddress(), "station-auth-1-" + cpId).body("authenticated", equalTo(true));
        OffsetDateTime lastBefore = lastAuthenticatedAt(cpId);
        assertNotNull(lastBefore);
        admin().body(Map.of("cp_id", cpId, "reason", "stolen")).post("/status/revoke").then().statusCode(200);

        String source = Api.randomAddress();
        authenticate(cpId, key, source, "station-auth-2-" + cpId)
                .body("authenticated", equalTo(false)).body("known", equalTo(true))
                .body("status", equalTo("REVOKED")).body("lockedOut", equalTo(false));

        List<Row> audit = authRows(cpId);
        assertEquals(2, audit.size(), "the success while ACTIVE, then the denial");
        Row denied = audit.get(1);
        assertEquals("DENIED", denied.getString("outcome"));
        assertEquals("WARN", denied.getString("severity"));
        assertEquals("REVOKED", denied.getString("reason"));
        assertEquals("cp:" + cpId, denied.getString("actor"));
        assertEquals(source, denied.getString("source_address"));
        assertEquals("station-auth-2-" + cpId, denied.getString("correlation_id"));
        assertEquals(lastBefore, lastAuthenticatedAt(cpId), "no last_authenticated_at for a REVOKED charge point");
    }

    @Test
    void anUnknownChargePointAndAWrongGeneratedKeyAreFailuresWithoutALastAuthenticationTime() {
        String cpId = newCpId();
        String key = registerGenerated(cpId);
        authenticate(cpId, key.substring(1) + "0", Api.randomAddress(), "station-auth-" + cpId)
                .body("authenticated", equalTo(false)).body("known", equalTo(true)).body("lockedOut", equalTo(false));
        List<Row> audit = authRows(cpId);
        assertEquals(1, audit.size());
        assertEquals("FAILURE", audit.getFirst().getString("outcome"));
        assertEquals("INVALID_CREDENTIALS", audit.getFirst().getString("reason"));
        assertNull(lastAuthenticatedAt(cpId));

        String unknown = "CP-NOBODY-" + cpId;
        authenticate(unknown, key, Api.randomAddress(), "station-auth-unknown-" + cpId)
                .body("authenticated", equalTo(false)).body("known", equalTo(false)).body("status", equalTo("UNKNOWN"));
        List<Row> unknownRows = authRows(unknown);
        assertEquals(1, unknownRows.size());
        assertEquals("unknown", unknownRows.getFirst().getString("actor"));
        assertEquals("UNKNOWN_CP", unknownRows.getFirst().getString("reason"));
        assertEquals(0, count(pool, "SELECT count(*) FROM charge_point WHERE cp_id = $1", unknown));
    }

    @Test
    void aSuccessAfterFailuresStillClearsTheChargePointsFailures() {
        // the Redis DEL is skipped only when there was nothing to clear; here there is (lock-out after 3 in tests)
        String cpId = newCpId();
        String key = registerGenerated(cpId);
        authenticate(cpId, "wrong-key-0000000001", Api.randomAddress(), "a-" + cpId).body("lockedOut", equalTo(false));
        authenticate(cpId, "wrong-key-0000000002", Api.randomAddress(), "b-" + cpId).body("lockedOut", equalTo(false));
        authenticate(cpId, key, Api.randomAddress(), "c-" + cpId).body("authenticated", equalTo(true));
        authenticate(cpId, "wrong-key-0000000003", Api.randomAddress(), "d-" + cpId).body("lockedOut", equalTo(false));
        authenticate(cpId, "wrong-key-0000000004", Api.randomAddress(), "e-" + cpId).body("lockedOut", equalTo(false));
        authenticate(cpId, "wrong-key-0000000005", Api.randomAddress(), "f-" + cpId).body("lockedOut", equalTo(true));
        assertTrue(count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'AUTH_BASIC'"
                + " AND outcome = 'SUCCESS'", cpId) == 1);
    }
}
