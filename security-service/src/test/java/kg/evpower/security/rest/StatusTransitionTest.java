package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static kg.evpower.security.support.Api.rows;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
class StatusTransitionTest {

    @Inject
    Pool pool;

    private String status(String cpId) {
        return rows(pool, "SELECT status FROM charge_point WHERE cp_id = $1", cpId).getFirst().getString("status");
    }

    private long statusEvents(String cpId) {
        return count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'security.charge-point.status-changed'",
                cpId);
    }

    @Test
    void activeToOutOfServiceAndBack() {
        String cpId = newCpId();
        register(cpId);
        admin().body(Map.of("cp_id", cpId, "reason", "maintenance")).post("/status/out-of-service")
                .then().statusCode(200).body("success", equalTo(true)).body("status", equalTo("OUT_OF_SERVICE"))
                .body("previous_status", equalTo("ACTIVE"));
        assertEquals("OUT_OF_SERVICE", status(cpId));
        admin().body(Map.of("cp_id", cpId)).post("/status/restore")
                .then().statusCode(200).body("status", equalTo("ACTIVE")).body("previous_status", equalTo("OUT_OF_SERVICE"));
        assertEquals("ACTIVE", status(cpId));
        assertEquals(2, statusEvents(cpId));
        var payload = rows(pool, "SELECT payload FROM outbox_event WHERE subject = $1 AND event_type = "
                + "'security.charge-point.status-changed' ORDER BY id", cpId).getFirst().getString("payload");
        org.junit.jupiter.api.Assertions.assertTrue(payload.contains("\"previousStatus\":\"ACTIVE\"")
                && payload.contains("\"reason\":\"maintenance\"") && payload.contains("\"status\":\"OUT_OF_SERVICE\""), payload);
        assertEquals(2, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'STATUS_CHANGE'"
                + " AND outcome = 'SUCCESS'", cpId));
    }

    @Test
    void activeAndOutOfServiceCanBeRevoked() {
        String a = newCpId();
        String b = newCpId();
        register(a);
        register(b);
        admin().body(Map.of("cp_id", a, "reason", "stolen")).post("/status/revoke")
                .then().statusCode(200).body("status", equalTo("REVOKED")).body("message", equalTo("Status changed from ACTIVE to REVOKED"));
        admin().body(Map.of("cp_id", b, "reason", "repair")).post("/status/out-of-service").then().statusCode(200);
        admin().body(Map.of("cp_id", b, "reason", "scrapped")).post("/status/revoke")
                .then().statusCode(200).body("previous_status", equalTo("OUT_OF_SERVICE"));
        assertEquals("REVOKED", status(a));
        assertEquals("REVOKED", status(b));
    }

    @Test
    void revokedIsFinal() {
        String cpId = newCpId();
        register(cpId);
        admin().body(Map.of("cp_id", cpId, "reason", "fraud")).post("/status/revoke").then().statusCode(200);
        long events = statusEvents(cpId);
        admin().body(Map.of("cp_id", cpId)).post("/status/restore")
                .then().statusCode(409).body("code", equalTo("INVALID_STATUS_TRANSITION"));
        admin().body(Map.of("cp_id", cpId, "reason", "x")).post("/status/out-of-service")
                .then().statusCode(409).body("code", equalTo("INVALID_STATUS_TRANSITION"));
        admin().body(Map.of("cp_id", cpId, "reason", "again")).post("/status/revoke")
                .then().statusCode(409).body("code", equalTo("STATUS_UNCHANGED"));
        admin().body(Map.of("cp_id", cpId)).post("/keys/generate")
                .then().statusCode(409).body("code", equalTo("CHARGE_POINT_REVOKED"));
        admin().body(Map.of("cp_id", cpId)).post("/keys/reset")
                .then().statusCode(409).body("code", equalTo("CHARGE_POINT_REVOKED"));
        assertEquals("REVOKED", status(cpId));
        assertEquals(events, statusEvents(cpId));
        assertEquals(3, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'STATUS_CHANGE'"
                + " AND outcome <> 'SUCCESS'", cpId));
    }

    @Test
    void noOpsAndForbiddenMovesAreNotFalseSuccesses() {
        String cpId = newCpId();
        register(cpId);
        admin().body(Map.of("cp_id", cpId)).post("/status/restore")
                .then().statusCode(409).body("code", equalTo("STATUS_UNCHANGED"));
        admin().body(Map.of("cp_id", cpId, "reason", "m")).post("/status/out-of-service").then().statusCode(200);
        admin().body(Map.of("cp_id", cpId, "reason", "m")).post("/status/out-of-service")
                .then().statusCode(409).body("code", equalTo("STATUS_UNCHANGED"));
        assertEquals("OUT_OF_SERVICE", status(cpId));
        assertEquals(1, statusEvents(cpId));
    }

    @Test
    void badRequestsChangeNothing() {
        String cpId = newCpId();
        register(cpId);
        admin().body(Map.of("cp_id", cpId)).post("/status/revoke")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED")).body("errors[0].field", equalTo("reason"));
        admin().body(Map.of("cp_id", cpId)).post("/status/out-of-service")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        admin().body(Map.of("reason", "x")).post("/status/revoke")
                .then().statusCode(400).body("errors[0].field", equalTo("cp_id"));
        admin().body(Map.of("cp_id", "CP-NOPE-404", "reason", "x")).post("/status/revoke")
                .then().statusCode(404).body("code", equalTo("CHARGE_POINT_NOT_FOUND"));
        assertEquals("ACTIVE", status(cpId));
        assertEquals(0, statusEvents(cpId));
    }

    @Test
    void revocationRevokesKeysAndEmitsKeyEvents() {
        String cpId = newCpId();
        register(cpId);
        admin().body(Map.of("cp_id", cpId)).post("/keys/generate").then().statusCode(200).body("key_version", equalTo(1));
        admin().body(Map.of("cp_id", cpId, "reason", "stolen")).post("/status/revoke").then().statusCode(200);
        assertEquals(0, count(pool, "SELECT count(*) FROM cp_encryption_key WHERE cp_id = $1 AND status <> 'REVOKED'", cpId));
        assertEquals(1, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'security.key.revoked'",
                cpId));
        admin().get("/security/status/" + cpId).then().statusCode(200)
                .body("security_status", equalTo("REVOKED")).body("has_encryption_key", equalTo(false))
                .body("display_state", equalTo("REVOKED"));
    }
}
