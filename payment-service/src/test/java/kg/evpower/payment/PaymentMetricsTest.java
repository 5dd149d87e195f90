package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import kg.evpower.payment.client.OdengiSigner;
import kg.evpower.payment.jobs.TopupJobs;
import kg.evpower.payment.metrics.PaymentMetrics;
import kg.evpower.payment.service.LedgerService;
import kg.evpower.payment.service.LedgerService.Posting;
import kg.evpower.payment.support.Auth;
import kg.evpower.platform.testing.Metrics;
import kg.evpower.payment.support.OnContext;
import kg.evpower.payment.support.Users;
import kg.evpower.platform.testing.Reactive;

/** The payment service's meters: present from start-up, and moved by webhooks, ledger entries and job runs. */
@QuarkusTest
class PaymentMetricsTest {

    private static final String WEBHOOKS = "evpower_payment_webhooks_total";
    private static final String LEDGER = "evpower_ledger_operations_total";
    private static final String JOBS = "evpower_job_runs_total";

    @Inject
    Vertx vertx;

    @Inject
    LedgerService ledger;

    @Inject
    TopupJobs jobs;

    private static double webhooks(String provider, String outcome) {
        return Metrics.value(WEBHOOKS, "provider=\"" + provider + "\"", "outcome=\"" + outcome + "\"");
    }

    private static double ledgerOps(String operation, String outcome) {
        return Metrics.value(LEDGER, "operation=\"" + operation + "\"", "outcome=\"" + outcome + "\"");
    }

    private static String sign(String body) {
        return "sha256=" + OdengiSigner.webhookSignature(body.getBytes(StandardCharsets.UTF_8), TopupFlowTest.SECRET);
    }

    @Test
    void everyMeterIsExposedWithItsKnownTagsBeforeAnyEvent() {
        String scrape = Metrics.scrape();
        for (String provider : PaymentMetrics.PROVIDERS) {
            for (String outcome : PaymentMetrics.WEBHOOK_OUTCOMES) {
                assertTrue(Metrics.find(scrape, WEBHOOKS, "provider=\"" + provider + "\"", "outcome=\"" + outcome + "\"")
                        .isPresent(), provider + " " + outcome);
            }
        }
        for (String operation : PaymentMetrics.LEDGER_OPERATIONS) {
            for (String outcome : PaymentMetrics.LEDGER_OUTCOMES) {
                assertTrue(Metrics.find(scrape, LEDGER, "operation=\"" + operation + "\"", "outcome=\"" + outcome + "\"")
                        .isPresent(), operation + " " + outcome);
            }
        }
        assertTrue(Metrics.find(scrape, JOBS, "job=\"topup_reconciliation\"", "outcome=\"success\"").isPresent());
        assertTrue(Metrics.find(scrape, JOBS, "job=\"topup_reconciliation\"", "outcome=\"failure\"").isPresent());
    }

    @Test
    void webhookOutcomesAndTheTopUpLedgerEntryAreCounted() {
        String client = "metrics-" + UUID.randomUUID();
        String invoice = given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(Map.of("amount", 10)).post("/api/v1/balance/topup-qr")
                .then().statusCode(200).extract().path("invoice_id");
        given().post("/simulator/odengi/invoices/" + invoice + "/pay?notify=false").then().statusCode(200);
        String body = new JsonObject(Map.of("invoice_id", invoice, "timestamp", Instant.now().getEpochSecond())).encode();

        double unsigned = webhooks("odengi", "invalid_signature");
        double received = webhooks("odengi", "received");
        double posted = ledgerOps("topup", "posted");
        given().contentType(ContentType.JSON).body(body).post("/api/v1/payment/webhook").then().statusCode(401);
        assertEquals(unsigned + 1, webhooks("odengi", "invalid_signature"));
        assertEquals(received, webhooks("odengi", "received"));
        assertEquals(posted, ledgerOps("topup", "posted"), "a refused webhook books nothing");

        given().contentType(ContentType.JSON).header("X-O-Dengi-Signature", sign(body)).body(body)
                .post("/api/v1/payment/webhook").then().statusCode(200).body("status", equalTo("received"));
        assertEquals(received + 1, webhooks("odengi", "received"));
        assertEquals(posted + 1, ledgerOps("topup", "posted"));
    }

    @Test
    void obankNotificationWhileObankIsOffIsCounted() {
        double before = webhooks("obank", "not_available");
        given().contentType(ContentType.XML).body("<notification/>").post("/api/v1/payment/obank/webhook")
                .then().statusCode(503);
        assertEquals(before + 1, webhooks("obank", "not_available"));
    }

    @Test
    void aHoldIsAPostedHoldPlaceEntry() {
        String client = "metrics-hold-" + UUID.randomUUID();
        kg.evpower.payment.support.Ledger.fund(vertx, ledger, client, 5_000);
        double posted = ledgerOps("hold_place", "posted");
        given().header("Authorization", Auth.service()).contentType(ContentType.JSON)
                .body(Map.of("sessionId", "s-" + client, "amount", 1_000, "idempotencyKey", "k-" + client))
                .post("/internal/wallets/" + client + "/holds").then().statusCode(201);
        assertEquals(posted + 1, ledgerOps("hold_place", "posted"));
    }

    @Test
    void aRepeatedEntryIsADuplicateAndAnUnbalancedOneIsRejected() {
        String client = "metrics-dup-" + UUID.randomUUID();
        String reference = "ref-" + client;
        double posted = ledgerOps("topup", "posted");
        double duplicate = ledgerOps("topup", "duplicate");
        double rejected = ledgerOps("topup", "rejected");
        for (int i = 0; i < 2; i++) {
            Reactive.inTransaction(vertx, () -> ledger.lockClient(client).chain(accounts ->
                    ledger.systemAccount(LedgerService.CLEARING_ODENGI).chain(clearing -> ledger.post("TOPUP", reference,
                            client, "metrics test", List.of(new Posting(clearing, 'D', 100),
                                    new Posting(accounts.walletId(), 'C', 100))))));
        }
        assertEquals(posted + 1, ledgerOps("topup", "posted"));
        assertEquals(duplicate + 1, ledgerOps("topup", "duplicate"));
        assertThrows(RuntimeException.class, () -> Reactive.inTransaction(vertx, () -> ledger.lockClient(client)
                .chain(accounts -> ledger.post("TOPUP", reference + "-x", client, "unbalanced",
                        List.of(new Posting(accounts.walletId(), 'C', 100), new Posting(accounts.walletId(), 'D', 99))))));
        assertEquals(rejected + 1, ledgerOps("topup", "rejected"));
    }

    @Test
    void aReconciliationRunIsCounted() {
        double runs = Metrics.value(JOBS, "job=\"topup_reconciliation\"", "outcome=\"success\"");
        OnContext.run(vertx, () -> jobs.runOnce());
        assertEquals(runs + 1, Metrics.value(JOBS, "job=\"topup_reconciliation\"", "outcome=\"success\""));
    }
}
