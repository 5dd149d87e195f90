package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.payment.service.LedgerService;
import kg.evpower.payment.support.Auth;
import kg.evpower.payment.support.Ledger;

@QuarkusTest
class InternalWalletApiTest {

    @Inject
    Vertx vertx;

    @Inject
    LedgerService ledger;

    @Inject
    Pool pool;

    private ValidatableResponse post(String path, Object body) {
        return given().header("Authorization", Auth.service()).contentType(ContentType.JSON).body(body)
                .when().post(path).then();
    }

    private String funded(long amount) {
        String client = "api-" + UUID.randomUUID();
        Ledger.fund(vertx, ledger, client, amount);
        return client;
    }

    @Test
    void walletShowsBalanceHeldAndAvailable() {
        String client = funded(10_000);
        post("/internal/wallets/" + client + "/holds", Map.of("sessionId", "s1", "amount", 3_000, "idempotencyKey", "k1"))
                .statusCode(201).body("status", equalTo("HELD")).body("amount", equalTo(3000))
                .body("clientId", equalTo(client)).body("sessionId", equalTo("s1"));
        given().header("Authorization", Auth.service()).get("/internal/wallets/" + client).then().statusCode(200)
                .body("clientId", equalTo(client)).body("balance", equalTo(10000)).body("held", equalTo(3000))
                .body("available", equalTo(7000));
        given().header("Authorization", Auth.service()).get("/internal/wallets/nobody-" + UUID.randomUUID()).then()
                .statusCode(200).body("balance", equalTo(0)).body("available", equalTo(0));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'payment.hold.placed'",
                client));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void withoutServiceTokenNothingMoves() {
        String client = funded(5_000);
        given().contentType(ContentType.JSON).body(Map.of("sessionId", "s", "amount", 100, "idempotencyKey", "k"))
                .post("/internal/wallets/" + client + "/holds").then().statusCode(401)
                .body("code", equalTo("SERVICE_TOKEN_REQUIRED"));
        assertEquals(5_000, Ledger.balance(pool, client, "WALLET"));
    }

    @Test
    void insufficientBalanceSaysWhatIsAvailableAndMovesNothing() {
        String client = funded(2_500);
        post("/internal/wallets/" + client + "/holds", Map.of("sessionId", "s", "amount", 2_501, "idempotencyKey", "k"))
                .statusCode(409).contentType("application/problem+json").body("code", equalTo("INSUFFICIENT_BALANCE"))
                .body("available", equalTo(2500));
        assertEquals(2_500, Ledger.balance(pool, client, "WALLET"));
        assertEquals(0, Ledger.balance(pool, client, "HOLD"));
        // The failed key was not stored: the same key works once money is there.
        Ledger.fund(vertx, ledger, client, 1);
        post("/internal/wallets/" + client + "/holds", Map.of("sessionId", "s", "amount", 2_501, "idempotencyKey", "k"))
                .statusCode(201);
    }

    @Test
    void invalidRequestsAreRefusedWithFieldErrorsAndMoveNothing() {
        String client = funded(5_000);
        String path = "/internal/wallets/" + client + "/holds";
        post(path, Map.of("sessionId", "s", "amount", 0, "idempotencyKey", "k")).statusCode(400)
                .body("code", equalTo("VALIDATION_FAILED")).body("errors.field", hasItem("amount"));
        post(path, Map.of("sessionId", "s", "amount", -5, "idempotencyKey", "k")).statusCode(400)
                .body("errors.field", hasItem("amount"));
        post(path, Map.of("sessionId", "s", "amount", 100)).statusCode(400).body("errors.field", hasItem("idempotencyKey"));
        post(path, Map.of("amount", 100, "idempotencyKey", "k")).statusCode(400).body("errors.field", hasItem("sessionId"));
        post(path, "{\"sessionId\":\"s\",\"amount\":\"lots\",\"idempotencyKey\":\"k\"}").statusCode(400)
                .body("code", equalTo("MALFORMED_JSON"));
        assertEquals(5_000, Ledger.balance(pool, client, "WALLET"));
        assertEquals(0, Ledger.balance(pool, client, "HOLD"));
    }

    @Test
    void sameKeyReplaysTheAnswerAndAnotherBodyIsRefused() {
        String client = funded(5_000);
        String path = "/internal/wallets/" + client + "/holds";
        String first = post(path, Map.of("sessionId", "s", "amount", 1_000, "idempotencyKey", "same")).statusCode(201)
                .extract().path("holdId");
        post(path, Map.of("sessionId", "s", "amount", 1_000, "idempotencyKey", "same")).statusCode(201)
                .body("holdId", equalTo(first));
        post(path, Map.of("sessionId", "s", "amount", 1_001, "idempotencyKey", "same")).statusCode(409)
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(4_000, Ledger.balance(pool, client, "WALLET"));
        assertEquals(1_000, Ledger.balance(pool, client, "HOLD"));
    }

    @Test
    void captureTakesTheCostAndReleasesTheRest() {
        String client = funded(10_000);
        String hold = post("/internal/wallets/" + client + "/holds", Map.of("sessionId", "s", "amount", 6_000,
                "idempotencyKey", "h")).statusCode(201).extract().path("holdId");
        post("/internal/holds/" + hold + "/capture", Map.of("amount", 4_500, "idempotencyKey", "c")).statusCode(200)
                .body("holdId", equalTo(hold)).body("status", equalTo("CAPTURED")).body("captured", equalTo(4500))
                .body("released", equalTo(1500)).body("receivable", equalTo(0));
        assertEquals(5_500, Ledger.balance(pool, client, "WALLET"));
        post("/internal/holds/" + hold + "/capture", Map.of("amount", 4_500, "idempotencyKey", "c2")).statusCode(409)
                .body("code", equalTo("HOLD_NOT_OPEN"));
        post("/internal/holds/" + hold + "/release", Map.of("idempotencyKey", "r")).statusCode(409)
                .body("code", equalTo("HOLD_NOT_OPEN"));
        assertEquals(5_500, Ledger.balance(pool, client, "WALLET"));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM outbox_event WHERE subject = $1 AND event_type = 'payment.hold.captured' "
                + "AND payload::jsonb -> 'data' ->> 'captured' = '4500'", client));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void costAboveTheHoldTakesTheBalanceThenBecomesAReceivable() {
        String client = funded(5_000);
        String hold = post("/internal/wallets/" + client + "/holds", Map.of("sessionId", "s", "amount", 3_000,
                "idempotencyKey", "h")).statusCode(201).extract().path("holdId");
        post("/internal/holds/" + hold + "/capture", Map.of("amount", 6_000, "idempotencyKey", "c")).statusCode(200)
                .body("captured", equalTo(5000)).body("released", equalTo(0)).body("receivable", equalTo(1000));
        assertEquals(0, Ledger.balance(pool, client, "WALLET"));
        assertEquals(-1_000, Ledger.balance(pool, client, "RECEIVABLE"));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void releaseReturnsTheHoldAndUnknownHoldsAre404() {
        String client = funded(5_000);
        String hold = post("/internal/wallets/" + client + "/holds", Map.of("sessionId", "s", "amount", 3_000,
                "idempotencyKey", "h")).statusCode(201).extract().path("holdId");
        post("/internal/holds/" + hold + "/release", Map.of("idempotencyKey", "r")).statusCode(200)
                .body("status", equalTo("RELEASED")).body("released", equalTo(3000));
        post("/internal/holds/" + hold + "/release", Map.of("idempotencyKey", "r")).statusCode(200)
                .body("released", equalTo(3000));
        assertEquals(5_000, Ledger.balance(pool, client, "WALLET"));
        post("/internal/holds/" + UUID.randomUUID() + "/release", Map.of("idempotencyKey", "r")).statusCode(404)
                .body("code", equalTo("HOLD_NOT_FOUND"));
        post("/internal/holds/not-a-uuid/capture", Map.of("amount", 1, "idempotencyKey", "r")).statusCode(404)
                .body("code", equalTo("HOLD_NOT_FOUND"));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void journalRowsAreImmutable() {
        String client = funded(1_000);
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> pool.query(
                "UPDATE posting SET amount = amount + 1 WHERE account_id IN (SELECT id FROM account WHERE client_id = '"
                        + client + "')").execute().await().indefinitely());
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> pool.query(
                "DELETE FROM journal_entry WHERE client_id = '" + client + "'").execute().await().indefinitely());
        Ledger.assertInvariants(pool, client);
    }
}
