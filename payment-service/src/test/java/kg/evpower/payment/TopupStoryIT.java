package kg.evpower.payment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import io.vertx.core.json.JsonObject;
import kg.evpower.payment.client.OdengiSigner;

/**
 * The top-up story against the packaged service (JVM jar here, native under -Pnative): a client creates a QR invoice,
 * the in-process O!Dengi simulator pays it and calls the webhook, the wallet is credited once; duplicate webhooks
 * (the simulator's and a re-sent signed one) change nothing.
 */
@QuarkusIntegrationTest
class TopupStoryIT {

    static String bearer(String clientId) throws Exception {
        PrivateKey key = KeyUtils.readPrivateKey("jwt/test-idp-private.pem");
        return "Bearer " + Jwt.issuer("https://idp.test.evpower.kg").audience("evpower-mobile-test").subject(clientId)
                .expiresIn(600).sign(key);
    }

    @Test
    void qrTopupIsCreditedOnceWhateverArrivesHowOften() throws Exception {
        String client = "it-" + UUID.randomUUID();
        String token = bearer(client);
        String invoice = given().header("Authorization", token).contentType(ContentType.JSON).body(Map.of("amount", 42.5))
                .post("/api/v1/balance/topup-qr").then().statusCode(200).body("success", equalTo(true))
                .body("current_balance", equalTo(0.0f)).extract().path("invoice_id");
        given().header("Authorization", token).get("/api/v1/payment/status/" + invoice).then().statusCode(200)
                .body("status", equalTo(0));

        given().post("/simulator/odengi/invoices/" + invoice + "/pay").then().statusCode(200);
        given().header("Authorization", token).get("/api/v1/balance/" + client).then().statusCode(200)
                .body("balance", equalTo(42.5f));

        // Duplicates: the simulator delivers again, and a signed webhook is replayed by hand.
        given().post("/simulator/odengi/invoices/" + invoice + "/pay").then().statusCode(200);
        JsonObject body = new JsonObject().put("invoice_id", invoice).put("status", 3).put("paid_amount", 42_50)
                .put("timestamp", Instant.now().getEpochSecond());
        String text = body.encode();
        String signature = "sha256=" + OdengiSigner.webhookSignature(text.getBytes(StandardCharsets.UTF_8),
                "test-only-odengi-webhook-secret-0001");
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).header("X-O-Dengi-Signature", signature).body(text)
                    .post("/api/v1/payment/webhook").then().statusCode(200).body("status", equalTo("received"));
        }
        given().contentType(ContentType.JSON).header("X-O-Dengi-Signature", "sha256=" + "0".repeat(64)).body(text)
                .post("/api/v1/payment/webhook").then().statusCode(401);

        given().header("Authorization", token).get("/api/v1/balance/" + client).then().statusCode(200)
                .body("balance", equalTo(42.5f));
        given().header("Authorization", token).get("/api/v1/history/transactions").then().statusCode(200)
                .body("total", equalTo(1)).body("data[0].transaction_type", equalTo("balance_topup"))
                .body("data[0].invoice_id", equalTo(invoice)).body("data[0].amount", equalTo(42.5f));
        given().header("Authorization", token).get("/api/v1/payment/status/" + invoice).then().statusCode(200)
                .body("status", equalTo(1)).body("can_proceed", equalTo(true));
        assertEquals(200, given().header("Authorization", bearer("someone-else")).get("/api/v1/payment/status/" + invoice)
                .then().extract().statusCode() == 404 ? 200 : 0, "another client cannot see the invoice");
    }
}
