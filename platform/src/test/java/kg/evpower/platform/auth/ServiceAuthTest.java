package kg.evpower.platform.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.TestServiceTokens;

@QuarkusTest
class ServiceAuthTest {

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
}
