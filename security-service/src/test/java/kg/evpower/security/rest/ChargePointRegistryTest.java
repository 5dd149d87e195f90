package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static kg.evpower.security.support.Api.rows;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.security.support.Api;

@QuarkusTest
class ChargePointRegistryTest {

    @Inject
    Pool pool;

    @Test
    void registerGeneratesAKeyReturnedOnceAndStoredOnlyAsAHash() {
        String cpId = newCpId();
        String key = admin().body(Map.of("cp_id", cpId, "location", "Osh, Lenin 5", "metadata", Map.of("vendor", "ABB")))
                .post("/admin/charge-points")
                .then().statusCode(201)
                .body("cp_id", equalTo(cpId))
                .body("authorization_key", matchesPattern("[0-9a-f]{40}"))
                .extract().path("authorization_key");
        var row = rows(pool, "SELECT credential_hash, status, token_version, metadata FROM charge_point WHERE cp_id = $1", cpId)
                .getFirst();
        String hash = row.getString("credential_hash");
        // a generated key (160 random bits) gets salted SHA-256; an operator's own key the slow hash (next test)
        assertTrue(hash.matches("sha256\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
        assertFalse(hash.contains(key));
        assertEquals("ACTIVE", row.getString("status"));
        assertTrue(row.getString("metadata").contains("ABB"));
        // The key works, and it is in no audit row.
        Api.internal().body(Map.of("password", key, "sourceAddress", Api.randomAddress()))
                .post("/internal/charge-points/" + cpId + "/authenticate")
                .then().statusCode(200).body("authenticated", equalTo(true)).body("status", equalTo("ACTIVE"));
        assertEquals(0, count(pool, "SELECT count(*) FROM audit_event WHERE reason LIKE '%' || $1 || '%'", key));
        assertEquals(1, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = $2"
                + " AND stream = 'evpower.security.v1'", cpId, "security.charge-point.registered"));
        assertEquals(1, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'CP_REGISTER'"
                + " AND actor = 'admin:key' AND outcome = 'SUCCESS'", cpId));
    }

    @Test
    void registeringTwiceIsAConflictAndKeepsTheFirstCredentials() {
        String cpId = newCpId();
        String key = register(cpId);
        admin().body(Map.of("cp_id", cpId, "location", "Elsewhere", "authorization_key", "another-key-1234567890"))
                .post("/admin/charge-points")
                .then().statusCode(409).body("code", equalTo("CHARGE_POINT_EXISTS"));
        Api.internal().body(Map.of("password", key)).post("/internal/charge-points/" + cpId + "/authenticate")
                .then().body("authenticated", equalTo(true));
        assertEquals("Bishkek, Chui 1", rows(pool, "SELECT location FROM charge_point WHERE cp_id = $1", cpId)
                .getFirst().getString("location"));
    }

    @Test
    void anOperatorsOwnKeyIsStoredAsASlowHashAndWorks() {
        String cpId = newCpId();
        admin().body(Map.of("cp_id", cpId, "location", "Karakol", "authorization_key", "operator-chosen-key-42"))
                .post("/admin/charge-points")
                .then().statusCode(201).body("authorization_key", equalTo("operator-chosen-key-42"));
        String hash = rows(pool, "SELECT credential_hash FROM charge_point WHERE cp_id = $1", cpId).getFirst()
                .getString("credential_hash");
        assertTrue(hash.startsWith("pbkdf2-sha256$"), "a key a person chose may be guessable: " + hash);
        Api.internal().body(Map.of("password", "operator-chosen-key-42", "sourceAddress", Api.randomAddress()))
                .post("/internal/charge-points/" + cpId + "/authenticate")
                .then().statusCode(200).body("authenticated", equalTo(true));
        Api.internal().body(Map.of("password", "operator-chosen-key-43", "sourceAddress", Api.randomAddress()))
                .post("/internal/charge-points/" + cpId + "/authenticate")
                .then().statusCode(200).body("authenticated", equalTo(false));
    }

    @Test
    void invalidRegistrationsAreRefusedAndNothingIsStored() {
        String cpId = newCpId();
        Map<String, Object> noLocation = Map.of("cp_id", cpId);
        admin().body(noLocation).post("/admin/charge-points")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED")).body("errors.field", hasItem("location"));
        admin().body(Map.of("cp_id", "x", "location", "Bishkek")).post("/admin/charge-points")
                .then().statusCode(400).body("errors.field", hasItem("cp_id"));
        admin().body(Map.of("cp_id", cpId, "location", "Bishkek", "authorization_key", "short")).post("/admin/charge-points")
                .then().statusCode(400).body("errors.field", hasItem("authorization_key"));
        Map<String, Object> badMetadata = new HashMap<>(Map.of("cp_id", cpId, "location", "Bishkek"));
        badMetadata.put("metadata", "not-an-object");
        admin().body(badMetadata).post("/admin/charge-points")
                .then().statusCode(400).body("errors.field", hasItem("metadata"));
        assertEquals(0, count(pool, "SELECT count(*) FROM charge_point WHERE cp_id = $1", cpId));
    }

    @Test
    void listFiltersByStatus() {
        String active = newCpId();
        String oos = newCpId();
        register(active);
        register(oos);
        Api.status(oos, "out-of-service", "maintenance");
        admin().queryParam("status", "OUT_OF_SERVICE").queryParam("limit", 1000).get("/admin/charge-points")
                .then().statusCode(200)
                .body("cps.cp_id", hasItem(oos))
                .body("cps.find { it.cp_id == '" + active + "' }", equalTo(null));
        admin().queryParam("status", "BROKEN").get("/admin/charge-points").then().statusCode(400);
    }

    @Test
    void rotatingTheAuthorizationKeyRetiresTheOldOneAndEmitsAnEvent() {
        String cpId = newCpId();
        String old = register(cpId);
        String fresh = admin().post("/admin/charge-points/" + cpId + "/rotate-authorization-key")
                .then().statusCode(200).body("cp_id", equalTo(cpId)).extract().path("authorization_key");
        Api.internal().body(Map.of("password", old)).post("/internal/charge-points/" + cpId + "/authenticate")
                .then().body("authenticated", equalTo(false));
        Api.internal().body(Map.of("password", fresh)).post("/internal/charge-points/" + cpId + "/authenticate")
                .then().body("authenticated", equalTo(true));
        assertEquals(1, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = $2", cpId,
                "security.credentials.rotated"));
        admin().post("/admin/charge-points/CP-NOPE-404/rotate-authorization-key")
                .then().statusCode(404).body("code", equalTo("CHARGE_POINT_NOT_FOUND"));
    }

    @Test
    void deregisterRevokesForGood() {
        String cpId = newCpId();
        String key = register(cpId);
        admin().delete("/admin/charge-points/" + cpId)
                .then().statusCode(200).body("success", equalTo(true)).body("status", equalTo("REVOKED"));
        admin().delete("/admin/charge-points/" + cpId).then().statusCode(409).body("code", equalTo("ALREADY_DEREGISTERED"));
        admin().body(Map.of("cp_id", cpId, "reason", "please")).post("/status/restore")
                .then().statusCode(409).body("code", equalTo("INVALID_STATUS_TRANSITION"));
        admin().post("/admin/charge-points/" + cpId + "/rotate-authorization-key")
                .then().statusCode(409).body("code", equalTo("CHARGE_POINT_REVOKED"));
        admin().body(Map.of("cp_id", cpId, "location", "Again", "authorization_key", key)).post("/admin/charge-points")
                .then().statusCode(409).body("code", equalTo("CHARGE_POINT_EXISTS"));
        Api.internal().body(Map.of("password", key)).post("/internal/charge-points/" + cpId + "/authenticate")
                .then().body("authenticated", equalTo(false)).body("status", equalTo("REVOKED"));
        assertEquals(1, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = $2", cpId,
                "security.charge-point.deregistered"));
        assertEquals(1, count(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = $2", cpId,
                "security.charge-point.status-changed"));
    }

    @Test
    void internalReadOfAChargePoint() {
        String cpId = newCpId();
        register(cpId);
        Api.status(cpId, "out-of-service", "cable damaged");
        Api.internal().get("/internal/charge-points/" + cpId)
                .then().statusCode(200)
                .body("cpId", equalTo(cpId)).body("status", equalTo("OUT_OF_SERVICE"))
                .body("statusReason", equalTo("cable damaged")).body("location", equalTo("Bishkek, Chui 1"));
        Api.internal().get("/internal/charge-points/CP-NOPE-404")
                .then().statusCode(404).body("code", equalTo("CHARGE_POINT_NOT_FOUND"));
    }
}
