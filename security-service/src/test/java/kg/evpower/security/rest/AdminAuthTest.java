package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.anon;
import static kg.evpower.security.support.Api.count;
import static kg.evpower.security.support.Api.from;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.security.support.Api;

@QuarkusTest
class AdminAuthTest {

    @Inject
    Pool pool;

    static PrivateKey adminIdpKey() throws Exception {
        String pem = new String(AdminAuthTest.class.getResourceAsStream("/admin-jwt/privateKey.pem").readAllBytes())
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static String adminJwt(Set<String> groups) throws Exception {
        // With a kid header, as deploy/mint-token.sh --admin makes them (the PEM key itself has none).
        return Jwt.issuer("https://idp.test.evpower.kg").subject("operator-aida").groups(groups).expiresIn(300)
                .jws().keyId("evpower-dev-idp").sign(adminIdpKey());
    }

    @Test
    void everyAdminPathNeedsTheAdminKey() {
        for (String path : new String[] {"/admin/charge-points", "/security/status", "/security/encryption-errors",
                "/admin/audit", "/security/status/CP-1", "/admin/signing-keys"}) {
            anon().get(path).then().statusCode(401).body("code", equalTo("ADMIN_AUTH_REQUIRED"));
        }
        for (String path : new String[] {"/keys/generate", "/keys/revoke", "/keys/reset", "/status/revoke",
                "/status/out-of-service", "/status/restore", "/admin/charge-points", "/admin/signing-keys/rotate"}) {
            anon().body(Map.of("cp_id", "CP-1", "reason", "x")).post(path).then().statusCode(401);
        }
    }

    @Test
    void wrongAdminKeyIsRefusedAuditedAndChangesNothing() {
        String cpId = newCpId();
        register(cpId);
        String address = Api.randomAddress();
        from(address).header("X-Admin-Key", "test-only-admin-key-0123456789abcdefghijX")
                .body(Map.of("cp_id", cpId, "reason", "x")).post("/status/revoke")
                .then().statusCode(401).body("code", equalTo("ADMIN_AUTH_INVALID"))
                .body("detail", equalTo("Invalid or missing admin credentials"));
        from(address).header("X-Admin-Key", "").get("/admin/charge-points").then().statusCode(401);
        Api.admin().get("/security/status/" + cpId).then().statusCode(200).body("security_status", equalTo("ACTIVE"));
        assertEquals(2, count(pool, "SELECT count(*) FROM audit_event WHERE source_address = $1 AND action = 'ADMIN_ACCESS'"
                + " AND outcome = 'DENIED' AND severity = 'CRITICAL'", address));
        assertEquals(0, count(pool, "SELECT count(*) FROM audit_event WHERE reason LIKE '%test-only-admin-key%'"));
    }

    @Test
    void adminJwtWithTheAdminGroupIsAccepted() throws Exception {
        String cpId = newCpId();
        register(cpId);
        anon().header("Authorization", "Bearer " + adminJwt(Set.of("admin"))).body(Map.of("cp_id", cpId, "reason", "m"))
                .post("/status/out-of-service").then().statusCode(200);
        assertEquals(1, count(pool, "SELECT count(*) FROM audit_event WHERE cp_id = $1 AND action = 'STATUS_CHANGE'"
                + " AND actor = 'admin:operator-aida'", cpId));
    }

    @Test
    void adminJwtWithoutTheGroupOrFromAnotherIssuerIsRefused() throws Exception {
        anon().header("Authorization", "Bearer " + adminJwt(Set.of("operator"))).get("/admin/charge-points")
                .then().statusCode(403).body("code", equalTo("ADMIN_ROLE_REQUIRED"));
        String otherIssuer = Jwt.issuer("https://evil.example").subject("x").groups("admin").expiresIn(300).sign(adminIdpKey());
        anon().header("Authorization", "Bearer " + otherIssuer).get("/admin/charge-points")
                .then().statusCode(401).body("code", equalTo("ADMIN_AUTH_INVALID"));
        // A service token of this service is no admin token.
        String service = anon().body(Map.of("client_id", "payment-service",
                "client_secret", "test-only-payment-secret-0123456789abcdef")).post("/auth/service-token")
                .then().statusCode(200).extract().path("access_token");
        anon().header("Authorization", "Bearer " + service).get("/admin/charge-points").then().statusCode(401);
    }

    @Test
    void testKeysAreOnlyOnTheTestClasspath() {
        // The admin IdP private key is a test resource; main resources carry no private key.
        assertEquals(false, Files.exists(Path.of("src/main/resources/admin-jwt/privateKey.pem")));
    }
}
