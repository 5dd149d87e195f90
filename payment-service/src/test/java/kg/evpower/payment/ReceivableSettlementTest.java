package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.payment.service.LedgerService;
import kg.evpower.payment.support.Auth;
import kg.evpower.payment.support.Ledger;
import kg.evpower.payment.support.Users;

/** A later top-up first pays the client's receivable (a capture beyond hold + balance), as balanced entries, once. */
@QuarkusTest
class ReceivableSettlementTest {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    LedgerService ledger;

    private String paidTopup(String client, Object som) {
        String invoice = given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(Map.of("amount", som)).post("/api/v1/balance/topup-qr").then().statusCode(200).extract().path("invoice_id");
        given().post("/simulator/odengi/invoices/" + invoice + "/pay").then().statusCode(200);
        return invoice;
    }

    private long settled(String invoice) {
        return Ledger.query(pool, "SELECT coalesce(sum(p.amount), 0) FROM posting p JOIN journal_entry e ON e.id = p.entry_id "
                + "WHERE e.kind = 'RECEIVABLE_SETTLE' AND e.reference = $1 AND p.direction = 'C'", invoice);
    }

    @Test
    void laterTopupsPayTheReceivableFirst() {
        String client = "rcv-" + UUID.randomUUID();
        Ledger.fund(vertx, ledger, client, 1_000);
        String hold = given().header("Authorization", Auth.service()).contentType(ContentType.JSON)
                .body(Map.of("sessionId", "s-" + client, "amount", 1_000, "idempotencyKey", "h1"))
                .post("/internal/wallets/" + client + "/holds").then().statusCode(201).extract().path("holdId");
        given().header("Authorization", Auth.service()).contentType(ContentType.JSON)
                .body(Map.of("amount", 2_500, "idempotencyKey", "c1")).post("/internal/holds/" + hold + "/capture")
                .then().statusCode(200).body("receivable", equalTo(1_500));
        assertEquals(-1_500, Ledger.balance(pool, client, "RECEIVABLE"));
        assertEquals(0, Ledger.balance(pool, client, "WALLET"));

        // 10 som: all of it goes to the receivable; nothing is available yet.
        String first = paidTopup(client, 10);
        assertEquals(1_000, settled(first));
        assertEquals(-500, Ledger.balance(pool, client, "RECEIVABLE"));
        assertEquals(0, Ledger.balance(pool, client, "WALLET"));
        given().header("Authorization", Users.bearer(client)).get("/api/v1/balance/" + client).then().statusCode(200)
                .body("balance", equalTo(0.0f));

        // 20 som: 5 pay the rest of the receivable, 15 are available. A duplicate delivery settles nothing more.
        String second = paidTopup(client, 20);
        given().post("/simulator/odengi/invoices/" + second + "/pay").then().statusCode(200);
        assertEquals(500, settled(second));
        assertEquals(0, Ledger.balance(pool, client, "RECEIVABLE"));
        assertEquals(1_500, Ledger.balance(pool, client, "WALLET"));

        // No receivable left: a third top-up is credited in full and books no settlement.
        String third = paidTopup(client, 1);
        assertEquals(0, settled(third));
        assertEquals(1_600, Ledger.balance(pool, client, "WALLET"));

        assertEquals(2, Ledger.query(pool, "SELECT count(*) FROM journal_entry WHERE kind = 'RECEIVABLE_SETTLE' AND client_id = $1", client));
        assertEquals(2, Ledger.query(pool, "SELECT count(*) FROM outbox_event WHERE event_type = 'payment.receivable.settled' "
                + "AND subject = $1", client));
        // Money in (funding + top-ups) = available + held + captured revenue - receivable still open (none).
        long in = 1_000 + 1_000 + 2_000 + 100;
        long revenue = Ledger.query(pool, "SELECT coalesce(sum(captured), 0) + coalesce(sum(receivable), 0) FROM hold WHERE client_id = $1", client);
        assertEquals(2_500, revenue);
        assertEquals(in, Ledger.balance(pool, client, "WALLET") + Ledger.balance(pool, client, "HOLD") + revenue
                + Ledger.balance(pool, client, "RECEIVABLE"));
        given().header("Authorization", Users.bearer(client)).get("/api/v1/history/transactions").then().statusCode(200)
                .body("data[1].transaction_type", equalTo("receivable_settlement")).body("data[1].amount", equalTo(-5.0f));
        Ledger.assertInvariants(pool, client);
    }
}
