package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.payment.client.OdengiSigner;
import kg.evpower.payment.jobs.TopupJobs;
import kg.evpower.payment.support.Ledger;
import kg.evpower.payment.support.Users;
import kg.evpower.payment.support.OnContext;

/** O!Dengi top-ups end to end against the simulator: QR, webhook, confirmation, crediting once, refusals. */
@QuarkusTest
class TopupFlowTest {

    static final String SECRET = "test-only-odengi-webhook-secret-0001";

    @Inject
    Pool pool;

    @Inject
    TopupJobs jobs;

    @Inject
    io.vertx.core.Vertx vertx;

    private String topup(String client, Object amount) {
        return given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(Map.of("amount", amount)).post("/api/v1/balance/topup-qr")
                .then().statusCode(200).body("success", equalTo(true)).extract().path("invoice_id");
    }

    private void pay(String invoiceId, String query) {
        given().post("/simulator/odengi/invoices/" + invoiceId + "/pay" + query).then().statusCode(200);
    }

    private static Map<String, Object> webhookBody(String invoiceId, long timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("merchant_id", "evpower-test-merchant");
        body.put("invoice_id", invoiceId);
        body.put("order_id", "whatever");
        body.put("status", 3);
        body.put("paid_amount", 999_999_00);
        body.put("timestamp", timestamp);
        return body;
    }

    private io.restassured.response.ValidatableResponse webhook(String body, String signature) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (signature != null) {
            request.header("X-O-Dengi-Signature", signature);
        }
        return request.post("/api/v1/payment/webhook").then();
    }

    private static String sign(String body) {
        return "sha256=" + OdengiSigner.webhookSignature(body.getBytes(StandardCharsets.UTF_8), SECRET);
    }

    private long wallet(String client) {
        return Ledger.balance(pool, client, "WALLET");
    }

    @Test
    void qrTopUpIsCreditedOnceWhenTheProviderConfirms() {
        String client = "top-" + UUID.randomUUID();
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(Map.of("amount", 150.5, "description", "Пополнение")).post("/api/v1/balance/topup-qr")
                .then().statusCode(200)
                .body("invoice_id", startsWith("sim-")).body("order_id", startsWith("qr_"))
                .body("qr_code", notNullValue()).body("app_link", notNullValue()).body("qr_code_url", notNullValue())
                .body("amount", equalTo(150.5f)).body("client_id", equalTo(client)).body("current_balance", equalTo(0.0f))
                .body("qr_lifetime_seconds", equalTo(300)).body("invoice_expires_at", notNullValue());
        String invoice = Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1", client) == 1
                ? pool.preparedQuery("SELECT invoice_id FROM topup WHERE client_id = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(client))
                        .await().indefinitely().iterator().next().getString(0) : null;
        assertEquals(15_050, Ledger.query(pool, "SELECT requested_amount FROM topup WHERE invoice_id = $1", invoice));

        pay(invoice, "");                 // the simulator calls the webhook, which confirms with statusPayment
        assertEquals(15_050, wallet(client));
        pay(invoice, "");                 // duplicate delivery
        given().header("Authorization", Users.bearer(client)).post("/api/v1/payment/status-check/" + invoice)
                .then().statusCode(409).body("error", equalTo("payment_not_processing"));
        OnContext.run(vertx, () -> jobs.runOnce());
        assertEquals(15_050, wallet(client), "credited exactly once");
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM journal_entry WHERE kind = 'TOPUP' AND reference = $1", invoice));
        assertEquals(2, Ledger.query(pool, "SELECT webhook_count FROM topup WHERE invoice_id = $1", invoice));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM outbox_event WHERE event_type = 'payment.topup.paid' AND subject = $1", client));
        assertTrue(Ledger.query(pool, "SELECT count(*) FROM payment_audit WHERE invoice_id = $1 AND operation = 'statusPayment'", invoice) >= 2);
        assertEquals(0, Ledger.query(pool, "SELECT count(*) FROM payment_audit WHERE request LIKE '%hash%' OR request LIKE '%password%'"));

        given().header("Authorization", Users.bearer(client)).get("/api/v1/payment/status/" + invoice).then().statusCode(200)
                .body("status", equalTo(1)).body("status_text", equalTo("approved")).body("can_proceed", equalTo(true))
                .body("amount", equalTo(150.5f));
        given().header("Authorization", Users.bearer(client)).get("/api/v1/balance/" + client).then().statusCode(200)
                .body("balance", equalTo(150.5f)).body("currency", equalTo("KGS")).body("last_topup_at", notNullValue());
        given().header("Authorization", Users.bearer(client)).get("/api/v1/history/transactions").then().statusCode(200)
                .body("total", equalTo(1)).body("data[0].transaction_type", equalTo("balance_topup"))
                .body("data[0].amount", equalTo(150.5f)).body("data[0].balance_after", equalTo(150.5f))
                .body("data[0].invoice_id", equalTo(invoice));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void webhookRefusalsChangeNothing() {
        String client = "wh-" + UUID.randomUUID();
        String invoice = topup(client, 100);
        long now = Instant.now().getEpochSecond();
        String body = new JsonObject(webhookBody(invoice, now)).encode();
        pay(invoice, "?notify=false");    // paid at the provider, but the forged calls below must not be what credits it

        webhook(body, null).statusCode(401).body("status", equalTo("invalid_signature"));
        webhook(body, "sha256=" + "0".repeat(64)).statusCode(401);
        webhook(body, sign(body.replace("whatever", "other"))).statusCode(401);
        String stale = new JsonObject(webhookBody(invoice, now - 3600)).encode();
        webhook(stale, sign(stale)).statusCode(400).body("status", equalTo("stale_timestamp"));
        webhook("{not json", sign("{not json")).statusCode(400).body("status", equalTo("malformed"));
        String noTime = "{\"invoice_id\":\"" + invoice + "\"}";
        webhook(noTime, sign(noTime)).statusCode(400).body("status", equalTo("missing_timestamp"));
        assertEquals(0, wallet(client), "nothing credited by refused webhooks");

        String unknown = new JsonObject(webhookBody("sim-unknown-" + UUID.randomUUID(), now)).encode();
        webhook(unknown, sign(unknown)).statusCode(200).body("status", equalTo("payment_not_found"));
        assertTrue(Ledger.query(pool, "SELECT count(*) FROM payment_audit WHERE outcome = 'payment_not_found'") >= 1);

        // A genuine webhook: the paid amount comes from the provider's statusPayment, not from the webhook body.
        webhook(body, sign(body)).statusCode(200).body("status", equalTo("received"));
        webhook(body, sign(body)).statusCode(200);   // replay
        assertEquals(10_000, wallet(client));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void onlyTheOwnerSeesOrTouchesAnInvoiceOrWallet() {
        String owner = "own-" + UUID.randomUUID();
        String other = "oth-" + UUID.randomUUID();
        String invoice = topup(owner, 50);
        String token = Users.bearer(other);
        given().header("Authorization", token).get("/api/v1/payment/status/" + invoice).then().statusCode(404)
                .body("success", equalTo(false)).body("error", equalTo("payment_not_found"));
        given().header("Authorization", token).post("/api/v1/payment/status-check/" + invoice).then().statusCode(404);
        given().header("Authorization", token).post("/api/v1/payment/cancel/" + invoice).then().statusCode(404);
        given().header("Authorization", token).get("/api/v1/balance/" + owner).then().statusCode(403)
                .body("error", equalTo("forbidden"));
        given().get("/api/v1/balance/" + owner).then().statusCode(401).body("error", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not.a.token").get("/api/v1/payment/status/" + invoice).then().statusCode(401);
        given().header("Authorization", "Bearer " + io.smallrye.jwt.build.Jwt.issuer("https://idp.test.evpower.kg")
                .audience("evpower-mobile-test").subject(owner).signWithSecret("a-shared-secret-that-is-long-enough-0123456789"))
                .get("/api/v1/balance/" + owner).then().statusCode(401);
        assertEquals("PROCESSING", pool.preparedQuery("SELECT status FROM topup WHERE invoice_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(invoice)).await().indefinitely().iterator().next().getString(0));
    }

    @Test
    void invalidAmountsAreRefusedAndNothingIsCreated() {
        String client = "val-" + UUID.randomUUID();
        for (Object amount : new Object[] {0, -1, 100000.01, 1.234, "abc", 1e9}) {
            given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(Map.of("amount", amount))
                    .post("/api/v1/balance/topup-qr").then().statusCode(400)
                    .body("success", equalTo(false)).body("error", equalTo("validation_error"));
        }
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/balance/topup-qr").then().statusCode(400).body("error", equalTo("validation_error"));
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(Map.of("amount", 100000))
                .post("/api/v1/balance/topup-qr").then().statusCode(200);
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1", client));
        assertEquals(0, wallet(client));
    }

    @Test
    void cancelledThenExpiredInvoicesStillCreditALatePayment() {
        String client = "late-" + UUID.randomUUID();
        String cancelled = topup(client, 20);
        given().header("Authorization", Users.bearer(client)).post("/api/v1/payment/cancel/" + cancelled).then()
                .statusCode(200).body("status", equalTo("canceled"));
        given().header("Authorization", Users.bearer(client)).post("/api/v1/payment/cancel/" + cancelled).then()
                .statusCode(409).body("error", equalTo("payment_not_cancellable"));

        String expiring = topup(client, 30);
        pool.preparedQuery("UPDATE topup SET invoice_expires_at = now() - interval '1 minute', next_check_at = now() "
                + "WHERE invoice_id = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(expiring)).await().indefinitely();
        OnContext.run(vertx, () -> jobs.runOnce());
        given().header("Authorization", Users.bearer(client)).get("/api/v1/payment/status/" + expiring).then()
                .statusCode(200).body("status", equalTo(2)).body("status_text", equalTo("expired"));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM outbox_event WHERE event_type = 'payment.topup.expired' AND subject = $1", client));
        assertEquals(0, wallet(client));

        // The provider confirms both payments afterwards (the user paid just before the cancel reached it).
        pay(cancelled, "?force=true");
        pay(expiring, "?force=true");
        assertEquals(5_000, wallet(client));
        pay(expiring, "?force=true");
        assertEquals(5_000, wallet(client));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void providerOutageThenRecovery() {
        String client = "down-" + UUID.randomUUID();
        String invoice = topup(client, 40);
        pay(invoice, "?notify=false");
        given().post("/simulator/odengi/outage?down=true").then().statusCode(200);
        try {
            given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(Map.of("amount", 10))
                    .post("/api/v1/balance/topup-qr").then().statusCode(503).body("error", equalTo("payment_provider_error"));
            long now = Instant.now().getEpochSecond();
            String body = new JsonObject(webhookBody(invoice, now)).encode();
            webhook(body, sign(body)).statusCode(503).body("status", equalTo("provider_unavailable"));
            assertEquals(0, wallet(client));
        } finally {
            given().post("/simulator/odengi/outage?down=false").then().statusCode(200);
        }
        // The webhook made the invoice due; the next job run catches up once the provider answers again.
        long deadline = System.currentTimeMillis() + 20_000;
        while (wallet(client) != 4_000 && System.currentTimeMillis() < deadline) {
            OnContext.run(vertx, () -> jobs.runOnce());
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        assertEquals(4_000, wallet(client), "credited after the outage");
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void obankIsNotAvailable() {
        String client = "card-" + UUID.randomUUID();
        for (String path : new String[] {"/api/v1/balance/topup-card", "/api/v1/payment/h2h-payment",
                "/api/v1/payment/create-token", "/api/v1/payment/token-payment"}) {
            given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                    .body(Map.of("amount", 10, "card_pan", "4111111111111111", "card_cvv", "123"))
                    .post(path).then().statusCode(503).body("success", equalTo(false)).body("error", equalTo("not_available"));
        }
        assertEquals(0, Ledger.query(pool, "SELECT count(*) FROM payment_audit WHERE request LIKE '%4111111111111111%'"));
    }
}
