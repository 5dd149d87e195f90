package kg.evpower.platform.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(DeadDatabaseHealthTest.DeadDatabase.class)
class DeadDatabaseHealthTest {

    public static class DeadDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("evpower.db.port", "1", "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.flyway.clean-at-start", "false",
                    "quarkus.hibernate-orm.schema-management.strategy", "none",
                    "evpower.events.consumer.enabled", "false", "evpower.events.relay.enabled", "false");
        }
    }

    @Test
    void notReadyWhenPostgresIsUnreachable() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("UP"));
    }
}
