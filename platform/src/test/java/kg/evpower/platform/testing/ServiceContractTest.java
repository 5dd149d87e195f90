package kg.evpower.platform.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

/**
 * What every EvPower service promises operators, run by each service as a {@code @QuarkusTest} and, against its packaged
 * build, as a {@code @QuarkusIntegrationTest} (subclass it; add the annotation).
 */
public abstract class ServiceContractTest {

    /** The service's {@code quarkus.application.name}. */
    protected abstract String serviceName();

    @Test
    void readyWithPostgresAndRedis() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
                .body("checks.name", hasItem("Redis connection health check"));
    }

    @Test
    void live() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiDescribesTheService() {
        given().when().get("/q/openapi?format=json")
                .then().statusCode(200)
                .body("openapi", startsWith("3."))
                .body("info.title", equalTo("EvPower " + serviceName()));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void prometheusMetrics() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("evpower_outbox_published_total"));
    }

    @Test
    void unknownRouteIsAProblemCarryingTheCorrelationId() {
        given().header("X-Correlation-ID", "contract-404")
                .when().get("/api/v0/definitely/not/here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .header("X-Correlation-ID", "contract-404")
                .body("code", equalTo("NOT_FOUND"))
                .body("correlationId", equalTo("contract-404"));
    }
}
