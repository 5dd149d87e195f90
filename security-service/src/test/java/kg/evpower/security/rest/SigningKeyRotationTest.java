package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.anon;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.security.support.Api;

@QuarkusTest
class SigningKeyRotationTest {

    @Inject
    Pool pool;

    private static String kidOf(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }

    private static String login(String cpId, String key) {
        return anon().body(Map.of("cp_id", cpId, "credentials", key)).post("/auth/credentials")
                .then().statusCode(200).body("success", equalTo(true)).extract().path("token");
    }

    @Test
    void rotationPublishesBothKeysAndOldTokensKeepVerifying() {
        String cpId = newCpId();
        String key = register(cpId);
        String before = login(cpId, key);
        String oldKid = kidOf(before);

        String newKid = admin().post("/admin/signing-keys/rotate").then().statusCode(200)
                .body("previous_kid", equalTo(oldKid)).extract().path("kid");
        assertNotEquals(oldKid, newKid);

        anon().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.kid", hasItems(oldKid, newKid)).body("keys[0].kty", equalTo("EC"))
                .body("keys[0].crv", equalTo("P-256")).body("keys[0].d", equalTo(null));
        anon().body(Map.of("cp_id", cpId, "token", before)).post("/auth/token").then().body("success", equalTo(true));
        String after = login(cpId, key);
        assertEquals(newKid, kidOf(after));
        anon().body(Map.of("cp_id", cpId, "token", after)).post("/auth/token").then().body("success", equalTo(true));

        // Exactly one active key; the retired one verifies for the longest token lifetime (24 h + 5 min).
        assertEquals(1, Api.count(pool, "SELECT count(*) FROM signing_key WHERE status = 'ACTIVE'"));
        var retired = Api.rows(pool, "SELECT extract(epoch FROM verify_until - retired_at) AS overlap, wrapped_private_key"
                + " FROM signing_key WHERE kid = $1", oldKid).getFirst();
        assertEquals(24 * 3600 + 300, retired.getNumeric("overlap").doubleValue(), 1.0);
        // The private key is stored wrapped, not as a PEM or raw PKCS#8.
        assertTrue(!retired.getString("wrapped_private_key").startsWith("MIG"), "PKCS#8 DER in base64 starts with MIG");

        admin().get("/admin/signing-keys").then().statusCode(200).body("kid", hasItems(oldKid, newKid));
        // A fresh service token (new kid) is accepted by the platform's verifier on /internal/**.
        String service = anon().body(Map.of("client_id", "station-gateway", "client_secret", Api.GATEWAY_SECRET))
                .post("/auth/service-token").then().statusCode(200).extract().path("access_token");
        assertEquals(newKid, kidOf(service));
        Api.anon().header("Authorization", "Bearer " + service).get("/internal/charge-points/" + cpId)
                .then().statusCode(200);
    }
}
