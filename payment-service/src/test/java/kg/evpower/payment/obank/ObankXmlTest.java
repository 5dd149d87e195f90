package kg.evpower.payment.obank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import kg.evpower.payment.client.ObankXml;
import kg.evpower.payment.domain.Card;

/** OBANK XML: values escaped by DOM, masking for the audit, StAX reading with DTDs and entities refused. */
class ObankXmlTest {

    static final Card CARD = Card.of("4111111111111111", "AIDA TESTOVA", "12", "99", "987", "a@example.kg");

    @Test
    void valuesAreEscapedAndRoundTrip() throws Exception {
        String hostile = "x\" evil=\"1\"><inject/>&amp;'<";
        String xml = ObankXml.payment(hostile, "svc", "card_1", hostile, 2_550, CARD, null, false);
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        assertEquals(hostile, root.getAttribute("point"));
        assertEquals(0, root.getElementsByTagName("inject").getLength(), "no element injected");
        Element payment = (Element) root.getElementsByTagName("payment").item(0);
        assertEquals(hostile, payment.getAttribute("account"));
        assertEquals("2550", payment.getAttribute("sum"));
        assertEquals("417", payment.getAttribute("currency"));
        Element card = (Element) payment.getElementsByTagName("card").item(0);
        assertEquals("4111111111111111", card.getAttribute("pan"));
        assertEquals("987", card.getAttribute("cvv"));
    }

    @Test
    void theAuditFormIsMasked() {
        String masked = ObankXml.payment("p", "s", "card_1", "client", 100, CARD, null, true);
        assertTrue(masked.contains("pan=\"411111******1111\""));
        assertFalse(masked.contains("4111111111111111"));
        assertFalse(masked.contains("cvv"));
        assertFalse(masked.contains("987"));
        assertFalse(masked.contains("AIDA"));
        assertFalse(ObankXml.storeCard("p", "s", "client", CARD, true).contains("987"));
        assertFalse(ObankXml.payment("p", "s", "o", "c", 1, null, "tok_abcdefghijklmnop", true).contains("abcdefghijklmnop"));
        assertEquals("Card[411111******1111]", CARD.toString());
        assertEquals("555555*****4444", Card.maskPan("555555123454444"));
    }

    @Test
    void resultsAreRead() {
        var r = ObankXml.result("<response><result code=\"0\" state=\"60\" trans=\"T1\" sum=\"2550\" id=\"card_1\"/></response>");
        assertTrue(r.paid());
        assertEquals(2_550L, r.amount());
        assertTrue(ObankXml.result("<response><result code=\"0\" state=\"80\"/></response>").declined());
        assertTrue(ObankXml.result("<response><result code=\"7\" state=\"60\"/></response>").declined());
        var pending = ObankXml.result("<response><result code=\"0\" state=\"40\"/></response>");
        assertFalse(pending.paid() || pending.declined());
    }

    @Test
    void dtdsEntitiesAndGarbageAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<response><result code=\"0\" state=\"60\" trans=\"&x;\"/></response>";
        assertThrows(ObankXml.MalformedXml.class, () -> ObankXml.result(xxe));
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                + "<response><result code=\"0\" trans=\"&b;\"/></response>";
        assertThrows(ObankXml.MalformedXml.class, () -> ObankXml.result(bomb));
        assertThrows(ObankXml.MalformedXml.class, () -> ObankXml.result("<response><result code="));
        assertThrows(ObankXml.MalformedXml.class, () -> ObankXml.result("<response/>"));
        assertThrows(ObankXml.MalformedXml.class, () -> ObankXml.result(""));
        assertThrows(ObankXml.MalformedXml.class, () -> ObankXml.result("<response><result code=\"x\"/></response>"));
        assertThrows(ObankXml.MalformedXml.class, () -> ObankXml.notification("<notification><payment state=\"60\"/></notification>"));
    }

    @Test
    void cardValidationNeverEchoesTheValue() {
        String[][] bad = {
            {"4111111111111112", "AIDA", "12", "99", "123"}, {"41111", "AIDA", "12", "99", "123"},
            {"4111111111111111", "aida", "12", "99", "123"}, {"4111111111111111", "AIDA", "00", "99", "123"},
            {"4111111111111111", "AIDA", "12", "9", "123"}, {"4111111111111111", "AIDA", "12", "99", "12"},
            {"4111111111111111", "AIDA", "01", "20", "123"}};
        for (String[] b : bad) {
            String message = assertThrows(IllegalArgumentException.class, () -> Card.of(b[0], b[1], b[2], b[3], b[4], null))
                    .getMessage();
            assertFalse(message.contains("41111"), message);
        }
    }
}
