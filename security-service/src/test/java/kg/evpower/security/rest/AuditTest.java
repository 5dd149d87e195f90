package kg.evpower.security.rest;

import static kg.evpower.security.support.Api.admin;
import static kg.evpower.security.support.Api.anon;
import static kg.evpower.security.support.Api.newCpId;
import static kg.evpower.security.support.Api.register;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.security.support.Api;

@QuarkusTest
class AuditTest {

    @Test
    void everyKindOfActionIsAuditedAndQueryable() {
        String cpId = newCpId();
        Instant start = Instant.now().minusSeconds(1);
        String key = register(cpId);
        anon().body(Map.of("cp_id", cpId, "credentials", key)).post("/auth/credentials").then().statusCode(200);
        anon().body(Map.of("cp_id", cpId, "credentials", "wrong-credentials-000")).post("/auth/credentials").then().statusCode(200);
        anon().body(Map.of("cp_id", cpId, "token", "a.b.c")).post("/auth/token").then().statusCode(200);
        admin().body(Map.of("cp_id", cpId)).post("/keys/generate").then().statusCode(200);
        admin().body(Map.of("cp_id", cpId)).post("/keys/reset").then().statusCode(200);
        admin().body(Map.of("cp_id", cpId)).post("/keys/revoke").then().statusCode(200);
        Api.status(cpId, "out-of-service", "maintenance");

        admin().queryParam("cp_id", cpId).queryParam("size", 100).get("/admin/audit")
                .then().statusCode(200)
                .body("total", equalTo(8))
                .body("items.action", hasItems("CP_REGISTER", "AUTH_CREDENTIALS", "TOKEN_VERIFY", "KEY_GENERATE",
                        "KEY_RESET", "KEY_REVOKE", "STATUS_CHANGE"))
                .body("items.outcome", hasItems("SUCCESS", "FAILURE"))
                .body("items.correlation_id", everyItem(notNullValue()))
                .body("items.source_address", everyItem(notNullValue()))
                .body("items[0].action", equalTo("STATUS_CHANGE"));

        admin().queryParam("cp_id", cpId).queryParam("action", "AUTH_CREDENTIALS").get("/admin/audit")
                .then().statusCode(200).body("total", equalTo(2)).body("items.actor", everyItem(equalTo("cp:" + cpId)));
        admin().queryParam("cp_id", cpId).queryParam("size", 3).queryParam("page", 2).get("/admin/audit")
                .then().statusCode(200).body("items", hasSize(2)).body("total", equalTo(8));
        admin().queryParam("cp_id", cpId).queryParam("from", start.toString())
                .queryParam("to", start.minusSeconds(60).toString()).get("/admin/audit")
                .then().statusCode(200).body("total", equalTo(0));
        admin().queryParam("from", "yesterday").get("/admin/audit")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        admin().queryParam("size", 0).get("/admin/audit").then().statusCode(400);
    }

    @Test
    void correlationIdOfTheRequestIsOnItsAuditRow() {
        String cpId = newCpId();
        Api.anon().header("X-Admin-Key", Api.ADMIN_KEY).header("X-Correlation-ID", "audit-corr-" + cpId)
                .body(Map.of("cp_id", cpId, "location", "Naryn")).post("/admin/charge-points").then().statusCode(201);
        admin().queryParam("cp_id", cpId).get("/admin/audit").then()
                .body("items[0].correlation_id", equalTo("audit-corr-" + cpId)).body("items[0].actor", equalTo("admin:key"));
    }
}
