package kg.evpower.payment.obank;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.mutiny.sqlclient.Pool;
import kg.evpower.payment.client.OdengiSigner;
import kg.evpower.payment.support.Ledger;
import kg.evpower.payment.support.LogCapture;
import kg.evpower.payment.support.Users;

/** OBANK enabled, against the local mutual-TLS stub: refusals without a certificate, card and token payments, webhook. */
@QuarkusTest
@TestProfile(ObankEnabledTest.Enabled.class)
class ObankEnabledTest {

    public static class Enabled implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ObankStubResource.class));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Pool pool;

    private final LogCapture logs = LogCapture.open();

    @AfterEach
    void closeLogs() {
        logs.close();
        ObankStubResource.stub.down = false;
    }

    /** A Luhn-valid 16-digit Visa-like number nobody else uses, so a leak can be grepped for. */
    static String freshPan() {
        StringBuilder digits = new StringBuilder("4");
        for (int i = 0; i < 14; i++) {
            digits.append(RANDOM.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            String candidate = digits.toString() + check;
            if (luhn(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException();
    }

    private static boolean luhn(String s) {
        int sum = 0;
        boolean twice = false;
        for (int i = s.length() - 1; i >= 0; i--) {
            int d = s.charAt(i) - '0';
            if (twice && (d *= 2) > 9) {
                d -= 9;
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    static Map<String, Object> card(String pan, String cvv, Object amount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", amount);
        body.put("card_pan", pan);
        body.put("card_name", "AIDA TESTOVA");
        body.put("card_month", "12");
        body.put("card_year", String.valueOf((java.time.Year.now().getValue() + 2) % 100));
        body.put("card_cvv", cvv);
        body.put("email", "aida@example.kg");
        return body;
    }

    private long wallet(String client) {
        return Ledger.balance(pool, client, "WALLET");
    }

    /** Whole rows of every table card data could end up in, as text. */
    private long rowsContaining(String needle) {
        long n = 0;
        for (String table : List.of("payment_audit", "topup", "journal_entry", "outbox_event", "idempotency_record")) {
            n += Ledger.query(pool, "SELECT count(*) FROM " + table + " t WHERE t::text LIKE $1", "%" + needle + "%");
        }
        return n;
    }

    private void assertNoCardData(String pan, String cvv) {
        String middle = pan.substring(6, pan.length() - 4);
        assertEquals(0, rowsContaining(pan), "full card number in a row");
        assertEquals(0, rowsContaining(pan.substring(0, 6) + middle), "more than the first 6 digits in a row");
        assertEquals(0, Ledger.query(pool, "SELECT count(*) FROM payment_audit WHERE provider = 'OBANK' AND "
                + "(request ~ $1 OR response ~ $1 OR request ILIKE '%cvv%')", "(^|[^0-9A-Za-z])" + cvv + "($|[^0-9A-Za-z])"),
                "CVV in an audit row");
        org.jboss.logging.Logger.getLogger("kg.evpower.payment.test").info("log-capture-canary");
        assertTrue(logs.lines.stream().anyMatch(l -> l.contains("log-capture-canary")), "the log capture works");
        Pattern cvvAlone = Pattern.compile("(^|[^0-9A-Za-z])" + cvv + "($|[^0-9A-Za-z])");
        for (String line : logs.lines) {
            assertFalse(line.contains(pan) || line.contains(middle), "card number logged: " + line);
            assertFalse(cvvAlone.matcher(line).find() && line.toLowerCase().contains("cvv"), "CVV logged: " + line);
            assertFalse(line.toLowerCase().contains("cvv=\"" + cvv), "CVV logged: " + line);
        }
    }

    private static String sign(String body) {
        return "sha256=" + OdengiSigner.webhookSignature(body.getBytes(StandardCharsets.UTF_8), ObankStubResource.WEBHOOK_SECRET);
    }

    private io.restassured.response.ValidatableResponse notify(String body, String signature, String forwardedFor) {
        var request = given().contentType("application/xml").body(body);
        if (signature != null) {
            request.header("X-Obank-Signature", signature);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/api/v1/payment/obank/webhook").then();
    }

    private static String notification(String orderId, int state, long sum) {
        return "<notification><payment id=\"" + orderId + "\" state=\"" + state + "\" sum=\"" + sum + "\"/></notification>";
    }

    @Test
    void theStubRefusesAClientWithoutOrWithAForeignCertificate() throws Exception {
        TestCerts certs = ObankStubResource.certs;
        String url = ConfigUrl.obank();
        PfxOptions trust = new PfxOptions().setPath(certs.trust().toString()).setPassword(certs.password());
        Vertx vertx = Vertx.vertx();
        try {
            int before = ObankStubResource.stub.received.size();
            for (PfxOptions identity : new PfxOptions[] {null,
                    new PfxOptions().setPath(certs.rogue().toString()).setPassword(certs.password())}) {
                HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true).setTrustOptions(trust);
                if (identity != null) {
                    options.setKeyCertOptions(identity);
                }
                var client = vertx.createHttpClient(options);
                var future = client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url + "/h2hstatus"))
                        .compose(r -> r.send("<request point=\"x\"><status id=\"x\"/></request>"))
                        .compose(r -> r.body().map(b -> r.statusCode()));
                assertThrows(Exception.class, () -> future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS),
                        identity == null ? "no client certificate" : "foreign client certificate");
            }
            assertEquals(before, ObankStubResource.stub.received.size(), "nothing reached the stub's handler");
            // The application's client, with the test CA's client certificate, does get through.
            String client = "obk-tls-" + UUID.randomUUID();
            given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                    .body(card(freshPan(), "123", 1)).post("/api/v1/balance/topup-card").then().statusCode(200);
            assertTrue(ObankStubResource.stub.handshakesWithCertificate.get() > 0);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGoodCardPaymentIsCreditedOnceAndNoCardDataIsKept() {
        String client = "obk-" + UUID.randomUUID();
        String pan = freshPan();
        String cvv = String.valueOf(1000 + RANDOM.nextInt(9000));
        String order = given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(card(pan, cvv, 25.5)).post("/api/v1/balance/topup-card")
                .then().statusCode(200).body("success", equalTo(true)).body("status", equalTo("approved"))
                .body("current_balance", equalTo(25.5f)).body("client_id", equalTo(client))
                .body(not(containsString(pan))).extract().path("transaction_id");
        assertEquals(2_550, wallet(client));
        // The bank did receive the card (over mutual TLS), as XML with the card as attributes.
        assertTrue(ObankStubResource.stub.received.stream().anyMatch(r -> r[1].contains("pan=\"" + pan + "\"")
                && r[1].contains("id=\"" + order + "\"")));
        // Same ledger path as O!Dengi: one TOPUP entry, from OBANK clearing.
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM journal_entry WHERE kind = 'TOPUP' AND reference = $1", order));
        assertEquals(2_550, Ledger.query(pool, "SELECT p.amount FROM posting p JOIN journal_entry e ON e.id = p.entry_id "
                + "JOIN account a ON a.id = p.account_id WHERE e.reference = $1 AND a.code = 'CLEARING_OBANK' AND p.direction = 'D'", order));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM outbox_event WHERE event_type = 'payment.topup.paid' AND subject = $1", client));

        // The bank's notification, twice, and the status in between: still credited once.
        String body = notification(order, 60, 2_550);
        notify(body, sign(body), null).statusCode(200).body("status", equalTo("received"));
        notify(body, sign(body), null).statusCode(200).body("status", equalTo("received"));
        assertEquals(2_550, wallet(client));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM journal_entry WHERE kind = 'TOPUP' AND reference = $1", order));
        given().header("Authorization", Users.bearer(client)).get("/api/v1/payment/status/" + order).then().statusCode(200)
                .body("status", equalTo(1));

        // The audit has the masked card (first 6 / last 4 at most) and never the number or the CVV.
        String masked = pan.substring(0, 6) + "******" + pan.substring(12);
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM payment_audit WHERE provider = 'OBANK' AND invoice_id = $1 "
                + "AND operation = 'h2hPayment' AND request LIKE $2", order, "%" + masked + "%"));
        assertNoCardData(pan, cvv);
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void aDeclinedCardChangesNothing() {
        String client = "obk-dec-" + UUID.randomUUID();
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(card(ObankStub.DECLINED_PAN, "321", 10)).post("/api/v1/balance/topup-card")
                .then().statusCode(402).body("success", equalTo(false)).body("error", equalTo("payment_declined"));
        assertEquals(0, wallet(client));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1 AND status = 'FAILED' AND provider = 'OBANK'", client));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM outbox_event WHERE event_type = 'payment.topup.failed' AND subject = $1", client));
        assertNoCardData(ObankStub.DECLINED_PAN, "321");
    }

    @Test
    void badCardInputIsRefusedWithoutEchoAndNothingIsSent() {
        String client = "obk-bad-" + UUID.randomUUID();
        String pan = freshPan();
        int before = ObankStubResource.stub.received.size();
        String badLuhn = pan.substring(0, 15) + ((pan.charAt(15) - '0' + 1) % 10);
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("luhn", card(badLuhn, "123", 10));
        cases.put("short pan", card("411111111", "123", 10));
        cases.put("letters pan", card("4111x11111111111", "123", 10));
        cases.put("cvv", card(pan, "12", 10));
        cases.put("cvv letters", card(pan, "12a", 10));
        Map<String, Object> name = card(pan, "123", 10);
        name.put("card_name", "aida <script>");
        cases.put("name", name);
        Map<String, Object> month = card(pan, "123", 10);
        month.put("card_month", "13");
        cases.put("month", month);
        Map<String, Object> expired = card(pan, "123", 10);
        expired.put("card_year", "20");
        cases.put("expired", expired);
        Map<String, Object> email = card(pan, "123", 10);
        email.put("email", "not-an-email");
        cases.put("email", email);
        cases.put("amount", card(pan, "123", 0));
        cases.put("amount too big", card(pan, "123", 100000.01));
        Map<String, Object> numeric = card(pan, "123", 10);
        numeric.put("card_pan", Long.parseLong(pan));
        cases.put("numeric pan", numeric);
        for (var c : cases.entrySet()) {
            given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body(c.getValue())
                    .post("/api/v1/balance/topup-card").then().statusCode(400).body("error", equalTo("validation_error"))
                    .body(not(containsString(pan))).body(not(containsString(badLuhn)));
        }
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON).body("{\"card_pan\":\"" + pan)
                .post("/api/v1/payment/h2h-payment").then().statusCode(400).body("error", equalTo("validation_error"))
                .body(not(containsString(pan)));
        given().contentType(ContentType.JSON).body(card(pan, "123", 10)).post("/api/v1/balance/topup-card")
                .then().statusCode(401);
        assertEquals(before, ObankStubResource.stub.received.size(), "nothing went to the bank");
        assertEquals(0, Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1", client));
        assertEquals(0, wallet(client));
        assertNoCardData(pan, "123");
    }

    @Test
    void aPendingPaymentIsCreditedOnceByTheConfirmedNotificationAndForgeriesAreRefused() {
        String client = "obk-wh-" + UUID.randomUUID();
        ObankStubResource.stub.holdNextPayment = true;
        String order = given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(card(freshPan(), "555", 40)).post("/api/v1/payment/h2h-payment")
                .then().statusCode(200).body("status", equalTo("processing")).extract().path("transaction_id");
        assertEquals(0, wallet(client));

        // The notification claims "paid" but the bank's status still says in progress: nothing is credited.
        String claim = notification(order, 60, 999_999);
        notify(claim, sign(claim), null).statusCode(200).body("status", equalTo("received"));
        assertEquals(0, wallet(client));

        ObankStubResource.stub.states.put(order, 60);
        notify(claim, null, null).statusCode(401).body("status", equalTo("invalid_signature"));
        notify(claim, sign(claim.replace("999999", "1")), null).statusCode(401);
        notify(claim, sign(claim), "203.0.113.7").statusCode(403).body("status", equalTo("ip_not_allowed"));
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE n [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<notification><payment id=\"&x;\" state=\"60\"/></notification>";
        notify(xxe, sign(xxe), null).statusCode(400).body("status", equalTo("malformed"));
        notify("not xml", sign("not xml"), null).statusCode(400).body("status", equalTo("malformed"));
        String unknown = notification("card_unknown_" + UUID.randomUUID(), 60, 100);
        notify(unknown, sign(unknown), null).statusCode(200).body("status", equalTo("payment_not_found"));
        assertEquals(0, wallet(client), "refused notifications credit nothing");

        notify(claim, sign(claim), null).statusCode(200).body("status", equalTo("received"));
        notify(claim, sign(claim), null).statusCode(200);
        assertEquals(4_000, wallet(client), "the bank's amount, credited once");
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM journal_entry WHERE kind = 'TOPUP' AND reference = $1", order));
        Ledger.assertInvariants(pool, client);
    }

    @Test
    void storedCardTokenPayment() {
        String client = "obk-tok-" + UUID.randomUUID();
        String pan = freshPan();
        String token = given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(card(pan, "777", null)).post("/api/v1/payment/create-token")
                .then().statusCode(200).body("card_mask", equalTo(pan.substring(0, 6) + "******" + pan.substring(12)))
                .extract().path("card_token");
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(Map.of("amount", 12, "card_token", "bad token!")).post("/api/v1/payment/token-payment")
                .then().statusCode(400).body("error", equalTo("validation_error"));
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(Map.of("amount", 12, "card_token", token)).post("/api/v1/payment/token-payment")
                .then().statusCode(200).body("status", equalTo("approved")).body("current_balance", equalTo(12.0f));
        assertEquals(1_200, wallet(client));
        assertEquals(0, rowsContaining(token), "the full token is not kept either");
        assertNoCardData(pan, "777");
    }

    @Test
    void bankDownAnswers503AndCreditsNothing() {
        String client = "obk-down-" + UUID.randomUUID();
        ObankStubResource.stub.down = true;
        given().header("Authorization", Users.bearer(client)).contentType(ContentType.JSON)
                .body(card(freshPan(), "444", 10)).post("/api/v1/balance/topup-card")
                .then().statusCode(503).body("error", equalTo("payment_provider_error"));
        assertEquals(0, wallet(client));
        assertEquals(1, Ledger.query(pool, "SELECT count(*) FROM topup WHERE client_id = $1 AND status = 'PROCESSING'", client));
    }

    /** The stub's URL as the application was configured with. */
    static final class ConfigUrl {
        static String obank() {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getValue("evpower.payment.obank.api-url", String.class);
        }
    }
}
