package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.anon;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import kg.evpower.security.service.SigningKeyService;
import kg.evpower.security.support.Api;

@QuarkusTest
class TokenTest {

    @Inject
    SigningKeyService signingKeys;

    private String login(String cpId, String key) {
        return anon().body(Map.of("cp_id", cpId, "credentials", key)).post("/auth/credentials")
                .then().statusCode(200).body("success", equalTo(true)).body("is_authorized", equalTo(true))
                .body("security_status", equalTo("ACTIVE")).body("token", notNullValue())
                .extract().path("token");
    }

    private void refused(String cpId, String token, String message) {
        anon().body(Map.of("cp_id", cpId, "token", token)).post("/auth/token")
                .then().statusCode(200).body("success", equalTo(false)).body("is_authorized", equalTo(false))
                .body("message", equalTo(message)).body("token", nullValue());
    }

    private JwtClaims verifyWithJwks(String token, String audience) throws Exception {
        String jwks = anon().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        return new JwtConsumerBuilder().setExpectedIssuer("evpower-security").setExpectedAudience(audience)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .build().processToClaims(token);
    }

    @Test
    void activeChargePointGetsAnEs256TokenVerifiableWithTheJwks() throws Exception {
        String cpId = newCpId();
        String token = login(cpId.equals("") ? null : cpId, register(cpId));
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        assertTrue(header.contains("\"ES256\"") && header.contains("\"kid\""), header);
        JwtClaims claims = verifyWithJwks(token, "evpower-charge-point");
        assertEquals(cpId, claims.getSubject());
        assertEquals("cp_access", claims.getStringClaimValue("type"));
        long lifetime = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertEquals(24 * 3600, lifetime);
        anon().body(Map.of("cp_id", cpId, "token", token)).post("/auth/token")
                .then().statusCode(200).body("success", equalTo(true)).body("is_authorized", equalTo(true))
                .body("security_status", equalTo("ACTIVE")).body("token", equalTo(token));
    }

    @Test
    void wrongCredentialsUnknownAndRevokedLookAlike() {
        String cpId = newCpId();
        String key = register(cpId);
        anon().body(Map.of("cp_id", cpId, "credentials", "wrong-key-wrong-key-1")).post("/auth/credentials")
                .then().statusCode(200).body("success", equalTo(false)).body("security_status", equalTo("UNKNOWN"))
                .body("message", equalTo("Authentication failed")).body("token", nullValue());
        anon().body(Map.of("cp_id", "CP-NOPE-" + cpId, "credentials", key)).post("/auth/credentials")
                .then().statusCode(200).body("success", equalTo(false)).body("security_status", equalTo("UNKNOWN"))
                .body("message", equalTo("Authentication failed"));
        Api.status(cpId, "revoke", "stolen");
        anon().body(Map.of("cp_id", cpId, "credentials", key)).post("/auth/credentials")
                .then().statusCode(200).body("success", equalTo(false)).body("security_status", equalTo("UNKNOWN"))
                .body("message", equalTo("Authentication failed")).body("token", nullValue());
        anon().body(Map.of("cp_id", cpId)).post("/auth/credentials").then().statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void outOfServiceGetsNoTokenAndItsOldTokensStopWorking() {
        String cpId = newCpId();
        String key = register(cpId);
        String token = login(cpId, key);
        Api.status(cpId, "out-of-service", "maintenance");
        anon().body(Map.of("cp_id", cpId, "credentials", key)).post("/auth/credentials")
                .then().statusCode(200).body("success", equalTo(false)).body("is_authorized", equalTo(false))
                .body("security_status", equalTo("OUT_OF_SERVICE")).body("token", nullValue());
        refused(cpId, token, "Token revoked");
        // Restoring does not bring the tokens of before back.
        admin().body(Map.of("cp_id", cpId)).post("/status/restore").then().statusCode(200);
        refused(cpId, token, "Token revoked");
        login(cpId, key);
    }

    @Test
    void tokenOfAnotherChargePointIsRefused() {
        String a = newCpId();
        String b = newCpId();
        String tokenA = login(a, register(a));
        register(b);
        refused(b, tokenA, "Token CP ID mismatch");
    }

    @Test
    void tamperedTokenIsRefused() {
        String cpId = newCpId();
        String token = login(cpId, register(cpId));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"token_version\":1", "\"token_version\":2");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        refused(cpId, tampered, "Invalid token");
        refused(cpId, token.substring(0, token.length() - 4) + "AAAA", "Invalid token");
        refused(cpId, "not.a.jwt", "Invalid token");
    }

    @Test
    void expiredTokenIsRefused() {
        String cpId = newCpId();
        register(cpId);
        SigningKeyService.SigningKey key = signingKeys.active();
        String expired = Jwt.claims().issuer("evpower-security").audience("evpower-charge-point").subject(cpId)
                .claim("type", "cp_access").claim("token_version", 1)
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.ES256).sign(key.privateKey());
        refused(cpId, expired, "Token expired");
    }

    @Test
    void tokenSignedByAnotherKeyWithAKnownKidIsRefused() throws Exception {
        String cpId = newCpId();
        register(cpId);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String forged = Jwt.claims().issuer("evpower-security").audience("evpower-charge-point").subject(cpId)
                .claim("type", "cp_access").claim("token_version", 1).expiresIn(600)
                .jws().keyId(signingKeys.active().kid()).algorithm(SignatureAlgorithm.ES256)
                .sign(generator.generateKeyPair().getPrivate());
        refused(cpId, forged, "Invalid token");
    }

    @Test
    void revokedVersionTokenIsRefused() {
        String cpId = newCpId();
        String token = login(cpId, register(cpId));
        admin().post("/admin/charge-points/" + cpId + "/rotate-authorization-key").then().statusCode(200);
        refused(cpId, token, "Token revoked");
        String other = newCpId();
        String otherToken = login(other, register(other));
        Api.status(other, "revoke", "stolen");
        refused(other, otherToken, "Token revoked");
    }

    @Test
    void serviceTokenByClientCredentials() throws Exception {
        String token = anon().body(Map.of("client_id", "charging-service",
                "client_secret", "test-only-charging-secret-0123456789abcde"))
                .post("/auth/service-token")
                .then().statusCode(200).body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .extract().path("access_token");
        JwtClaims claims = verifyWithJwks(token, "evpower-internal");
        assertEquals("charging-service", claims.getSubject());
        assertEquals(List.of("service"), claims.getStringListClaimValue("groups"));
        assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        // A service token is no charge-point token, and a charge-point token is no service token.
        refused("charging-service", token, "Invalid token");
    }

    @Test
    void serviceTokenRefusals() {
        anon().body(Map.of("client_id", "charging-service", "client_secret", "test-only-gateway-secret-0123456789abcdef"))
                .post("/auth/service-token").then().statusCode(401).body("code", equalTo("INVALID_CLIENT"));
        anon().body(Map.of("client_id", "intruder", "client_secret", "whatever")).post("/auth/service-token")
                .then().statusCode(401).body("code", equalTo("INVALID_CLIENT"));
        anon().body(Map.of("client_id", "payment-service")).post("/auth/service-token")
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void internalEndpointsNeedAServiceTokenNotAChargePointToken() {
        String cpId = newCpId();
        String cpToken = login(cpId, register(cpId));
        anon().get("/internal/charge-points/" + cpId).then().statusCode(401);
        anon().header("Authorization", "Bearer " + cpToken).get("/internal/charge-points/" + cpId).then().statusCode(401);
        Api.internal().get("/internal/charge-points/" + cpId).then().statusCode(200);
    }
}
