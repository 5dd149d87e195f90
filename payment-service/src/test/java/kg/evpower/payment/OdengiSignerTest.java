package kg.evpower.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import kg.evpower.payment.client.OdengiSigner;
import kg.evpower.payment.domain.Money;
import kg.evpower.payment.rest.ClientAddress;

class OdengiSignerTest {

    @Test
    void envelopeIsSignedWithHmacMd5OverTheCompactJsonInKeyOrder() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("amount", 10000);
        data.put("desc", "Пополнение");
        data.put("order_id", "qr_1");
        Map<String, Object> unsigned = OdengiSigner.unsigned("createInvoice", "m1", "1700000000", "ru", data);
        String compact = OdengiSigner.compact(unsigned);
        assertEquals("{\"cmd\":\"createInvoice\",\"version\":1005,\"sid\":\"m1\",\"mktime\":\"1700000000\",\"lang\":\"ru\","
                + "\"data\":{\"amount\":10000,\"desc\":\"Пополнение\",\"order_id\":\"qr_1\"}}", compact);
        // RFC 2104 test vector 2 of HMAC-MD5 (key "Jefe").
        assertEquals("750c783e6ab0b503eaa86e310a5db738", OdengiSigner.hash("what do ya want for nothing?", "Jefe"));
        String body = OdengiSigner.sign(unsigned, "pw");
        assertTrue(body.endsWith(",\"hash\":\"" + OdengiSigner.hash(compact, "pw") + "\"}"), body);
    }

    @Test
    void signaturesCompareWholeValues() {
        String sig = OdengiSigner.webhookSignature("{}".getBytes(), "secret-key");
        assertTrue(OdengiSigner.matches(sig, sig.toUpperCase()));
        assertFalse(OdengiSigner.matches(sig, sig.substring(1)));
        assertFalse(OdengiSigner.matches(sig, null));
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        List<String> trusted = List.of("10.0.0.1");
        assertEquals("203.0.113.9", ClientAddress.resolve("203.0.113.9", "1.2.3.4", trusted), "spoofed header ignored");
        assertEquals("198.51.100.7", ClientAddress.resolve("10.0.0.1", "1.2.3.4, 198.51.100.7", trusted));
        assertEquals("198.51.100.7", ClientAddress.resolve("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.1", trusted));
        assertEquals("10.0.0.1", ClientAddress.resolve("10.0.0.1", null, trusted));
    }

    @Test
    void somConvertsToTyiynExactly() {
        assertEquals(15_050, Money.toTyiyn(new BigDecimal("150.5")));
        assertEquals(10_000_000, Money.toTyiyn(new BigDecimal("100000.00")));
        assertEquals(new BigDecimal("0.01"), Money.toSom(1));
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> Money.toTyiyn(new BigDecimal("1.234")));
    }
}
