package kg.evpower.platform.correlation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

@QuarkusTest
class CorrelationIdTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Inject
    Pool pool;

    @Test
    void givenIdIsKeptAndEchoed() {
        given().header("X-Correlation-ID", "app-42.call_7")
                .when().get("/probe/correlation")
                .then().statusCode(200)
                .header("X-Correlation-ID", "app-42.call_7")
                .body("correlationId", equalTo("app-42.call_7"));
    }

    @Test
    void missingIdIsGenerated() {
        given().when().get("/probe/correlation")
                .then().statusCode(200)
                .header("X-Correlation-ID", matchesPattern(UUID_PATTERN))
                .body("correlationId", matchesPattern(UUID_PATTERN));
    }

    @Test
    void unacceptableIdIsReplaced() {
        given().header("X-Correlation-ID", "forged id; level=ERROR")
                .when().get("/probe/correlation")
                .then().statusCode(200)
                .header("X-Correlation-ID", matchesPattern(UUID_PATTERN))
                .body("correlationId", not(equalTo("forged id; level=ERROR")));
    }

    @Test
    void problemBodiesCarryTheId() {
        given().header("X-Correlation-ID", "trace-problem-1")
                .when().get("/probe/refused")
                .then().statusCode(409)
                .header("X-Correlation-ID", "trace-problem-1")
                .body("correlationId", equalTo("trace-problem-1"));
    }

    @Test
    void eventsCausedByTheRequestCarryTheId() {
        String correlationId = "trace-" + UUID.randomUUID();
        String eventId = given().header("X-Correlation-ID", correlationId)
                .contentType(ContentType.JSON).body("{\"name\": \"correlated\", \"quantity\": 1}")
                .when().post("/probe/items")
                .then().statusCode(200)
                .body("correlationId", equalTo(correlationId))
                .extract().path("eventId");
        String payload = pool.preparedQuery("SELECT payload FROM outbox_event WHERE event_id = $1")
                .execute(Tuple.of(UUID.fromString(eventId))).await().indefinitely()
                .iterator().next().getString("payload");
        assertEquals(correlationId, new io.vertx.core.json.JsonObject(payload).getString("correlationId"));
    }
}
