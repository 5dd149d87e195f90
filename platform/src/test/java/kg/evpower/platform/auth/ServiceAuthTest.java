package kg.evpower.platform.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.TestServiceTokens;

@QuarkusTest
class ServiceAuthTest {

    @Inject
    MeterRegistry registry;

    private double checks(String outcome) {
        return registry.counter("evpower.service.token.checks", "outcome", outcome).count();
    }

    @Test
    void validServiceTokenPasses() {
        given().header("Authorization", TestServiceTokens.bearer())
                .when().get("/internal/probe")
                .then().statusCode(200)
                .body("caller", equalTo("test-caller"));
    }

    @Test
    void missingTokenIsRefused() {
        given().when().get("/internal/probe")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
    }

    @Test
    void notABearerTokenIsRefused() {
        given().header("Authorization", "Basic dXNlcjpwYXNz")
                .when().get("/internal/probe")
                .then().statusCode(401).body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
        given().header("Authorization", "Bearer not.a.jwt")
                .when().get("/internal/probe")
                .then().statusCode(401).body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = TestServiceTokens.token("test-caller", List.of("service"), "evpower-security", "evpower-internal", -600);
        given().header("Authorization", "Bearer " + expired)
                .when().get("/internal/probe")
                .then().statusCode(401).body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() {
        String otherIssuer = TestServiceTokens.token("test-caller", List.of("service"), "someone-else", "evpower-internal", 300);
        String otherAudience = TestServiceTokens.token("test-caller", List.of("service"), "evpower-security", "mobile-app", 300);
        for (String token : List.of(otherIssuer, otherAudience)) {
            given().header("Authorization", "Bearer " + token)
                    .when().get("/internal/probe")
                    .then().statusCode(401).body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
        }
    }

    @Test
    void tokenOfAnUntrustedKeyIsRefused() {
        given().header("Authorization", "Bearer " + TestServiceTokens.signedByUnknownKey())
                .when().get("/internal/probe")
                .then().statusCode(401)
                .body("code", equalTo("SERVICE_TOKEN_REQUIRED"))
                .body(not(containsString("intruder")));
    }

    @Test
    void tokenWithoutTheServiceGroupIsForbidden() {
        String userToken = TestServiceTokens.token("client-1", List.of("user"), "evpower-security", "evpower-internal", 300);
        given().header("Authorization", "Bearer " + userToken)
                .when().get("/internal/probe")
                .then().statusCode(403).body("code", equalTo("SERVICE_ROLE_REQUIRED"));
    }

    @Test
    void publicPathsNeedNoServiceToken() {
        given().when().get("/probe/correlation").then().statusCode(200);
    }

    @Test
    void aReusedTokenIsCheckedOnceThenRemembered() {
        String token = TestServiceTokens.token("reusing-caller", List.of("service"), "evpower-security", "evpower-internal",
                300);
        double verified = checks("verified");
        double remembered = checks("remembered");
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + token)
                    .when().get("/internal/probe")
                    .then().statusCode(200).body("caller", equalTo("reusing-caller"));
        }
        assertEquals(verified + 1, checks("verified"), "the signature is checked once");
        assertEquals(remembered + 2, checks("remembered"), "the two later requests are answered from memory");
    }

    @Test
    void aRememberedTokenStillExpires() throws InterruptedException {
        String shortLived = TestServiceTokens.token("brief-caller", List.of("service"), "evpower-security",
                "evpower-internal", 1);
        given().header("Authorization", "Bearer " + shortLived)
                .when().get("/internal/probe")
                .then().statusCode(200);
        // expiry (1 s) plus the test profile's clock skew (1 s), and a margin for whole seconds
        Thread.sleep(3_200);
        double remembered = checks("remembered");
        given().header("Authorization", "Bearer " + shortLived)
                .when().get("/internal/probe")
                .then().statusCode(401).body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
        assertEquals(remembered, checks("remembered"), "an expired token is never taken from memory");
    }

    @Test
    void aRememberedTokenWithAnotherSignatureIsRefused() {
        String token = TestServiceTokens.token("signed-caller", List.of("service"), "evpower-security",
                "evpower-internal", 300);
        given().header("Authorization", "Bearer " + token).when().get("/internal/probe").then().statusCode(200);
        int dot = token.lastIndexOf('.');
        String signature = token.substring(dot + 1);
        char first = signature.charAt(0);
        String altered = token.substring(0, dot + 1) + (first == 'A' ? 'B' : 'A') + signature.substring(1);
        double refused = checks("refused");
        given().header("Authorization", "Bearer " + altered)
                .when().get("/internal/probe")
                .then().statusCode(401).body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
        assertEquals(refused + 1, checks("refused"));
    }
}
