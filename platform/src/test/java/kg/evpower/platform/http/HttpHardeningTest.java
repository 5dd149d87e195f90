package kg.evpower.platform.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class HttpHardeningTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void securityHeadersOnResourcesProblemsAndOperationsEndpoints() {
        for (String path : new String[] {"/probe/correlation", "/no/such/route", "/q/health/live", "/probe/refused"}) {
            ValidatableResponse response = given().when().get(path).then()
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Content-Security-Policy", HttpHardening.CSP_API)
                    .header("Server", nullValue())
                    .header("Strict-Transport-Security", nullValue());
            response.extract().statusCode();
        }
    }

    @Test
    void hstsOnlyBehindTls() {
        given().header("X-Forwarded-Proto", "https").when().get("/probe/correlation")
                .then().statusCode(200)
                .header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }

    @Test
    void swaggerUiGetsAPagePolicy() {
        given().when().get("/q/swagger-ui/").then().statusCode(200)
                .header("Content-Security-Policy", HttpHardening.CSP_UI);
    }

    @Test
    void pathTraversalIsRefusedBeforeAnyResource() throws Exception {
        for (String target : new String[] {"/probe/../q/health", "/probe/%2e%2e/q/health", "/probe%2fcorrelation",
                "/probe/correlation%00", "/probe/..%5cq"}) {
            HttpResponse<String> response = raw(target);
            assertEquals(400, response.statusCode(), target);
            assertTrue(response.body().contains("\"code\":\"SUSPICIOUS_REQUEST\""), target + " -> " + response.body());
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        }
    }

    @Test
    void encodedLineBreaksInTheTargetAreRefused() throws Exception {
        HttpResponse<String> response = raw("/probe/correlation%0d%0aSet-Cookie:%20x=1");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("SUSPICIOUS_REQUEST"));
    }

    @Test
    void controlCharacterInAHeaderIsRefused() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /probe/correlation HTTP/1.1\r\nHost: localhost\r\nX-Note: a\u0001b\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        }
    }

    @Test
    void oversizedBodyIsAProblem() {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"quantity\":1}";
        given().contentType(ContentType.JSON).body(big).when().post("/probe/items")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("code", equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void corsAllowsOnlyTheConfiguredOrigins() {
        given().header("Origin", "https://app.evpower.test").when().get("/probe/correlation")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://app.evpower.test");
        given().header("Origin", "https://evil.example").when().get("/probe/correlation")
                .then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .when().options("/probe/items")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    private HttpResponse<String> raw(String target) throws Exception {
        URI uri = URI.create("http://" + base.getHost() + ":" + base.getPort() + target);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
