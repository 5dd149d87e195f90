package kg.evpower.platform.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ProblemDetailsTest {

    @Test
    void unknownRouteIsAProblem() {
        given().when().get("/no/such/route")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("code", equalTo("NOT_FOUND"))
                .body("type", equalTo("urn:problem:evpower:not-found"))
                .body("correlationId", notNullValue())
                .header("X-Correlation-ID", notNullValue());
    }

    @Test
    void wrongMethodIsAProblemWithAllow() {
        given().when().delete("/probe/correlation")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .body("code", equalTo("METHOD_NOT_ALLOWED"));
    }

    @Test
    void malformedJsonIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", ")
                .when().post("/probe/items")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_JSON"))
                .body(not(containsString("Exception")))
                .body(not(containsString("jackson")));
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"quantity\": \"many\"}")
                .when().post("/probe/items")
                .then().statusCode(400)
                .body("code", equalTo("MALFORMED_JSON"))
                .body("errors.field", hasItem("quantity"));
    }

    @Test
    void validationFailureListsEachField() {
        given().contentType(ContentType.JSON).body("{\"name\": \"\", \"quantity\": 50}")
                .when().post("/probe/items")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", hasItem(containsString("name")))
                .body("errors.field", hasItem(containsString("quantity")));
    }

    @Test
    void unsupportedMediaTypeIsAProblem() {
        given().contentType(ContentType.XML).body("<a/>")
                .when().post("/probe/items")
                .then().statusCode(415)
                .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void unexpectedFailureLeaksNothing() {
        for (String path : new String[] {"/probe/boom", "/probe/async-boom"}) {
            given().when().get(path)
                    .then().statusCode(500)
                    .contentType("application/problem+json")
                    .body("code", equalTo("INTERNAL_ERROR"))
                    .body(not(containsString("s3cr3t")))
                    .body(not(containsString("Exception")))
                    .body(not(containsString("at kg.")));
        }
    }

    @Test
    void deliberateProblemKeepsItsCode() {
        given().when().get("/probe/refused")
                .then().statusCode(409)
                .body("code", equalTo("PROBE_REFUSED"))
                .body("title", equalTo("Conflict"))
                .body("detail", equalTo("The probe refuses on purpose."))
                .body("type", equalTo("urn:problem:evpower:probe-refused"));
    }
}
