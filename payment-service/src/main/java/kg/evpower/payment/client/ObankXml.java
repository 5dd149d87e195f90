package kg.evpower.payment.client;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import kg.evpower.payment.domain.Card;

/**
 * OBANK's XML, built with the JDK's DOM (every value is an attribute, escaped by the serializer; no string templates)
 * and read with StAX with DTDs and external entities switched off. Element and attribute names follow the seed (A4.4):
 * {@code <request point=…>} carrying {@code payment}, {@code advanced function="stored-cards"} or {@code status}.
 * Amounts are integer tyiyn both ways (the seed's ×100 out / ÷1000 back is a flaw not repeated).
 */
public final class ObankXml {

    /** ISO 4217 numeric code of the som. */
    public static final String CURRENCY = "417";

    private ObankXml() {
    }

    /** What OBANK answered: result code (0 = accepted), payment state, its transaction id, amount and card token. */
    public record Result(int code, int state, String transaction, Long amount, String token, String orderId) {
        /** State 60: paid (final). */
        public boolean paid() {
            return code == 0 && state == 60;
        }

        /** A refusal: a non-zero result code or a final error state (≥ 80). */
        public boolean declined() {
            return code != 0 || state >= 80;
        }
    }

    /** A payment by card ({@code card} non-null) or by stored-card token; {@code masked}: for the audit. */
    public static String payment(String point, String service, String orderId, String account, long amount, Card card,
            String token, boolean masked) {
        Document doc = newDocument();
        Element request = request(doc, point);
        Element payment = child(doc, request, "payment");
        payment.setAttribute("id", orderId);
        payment.setAttribute("sum", Long.toString(amount));
        payment.setAttribute("currency", CURRENCY);
        payment.setAttribute("service", service);
        payment.setAttribute("account", account);
        if (card != null) {
            card(doc, payment, card, masked);
        } else {
            child(doc, payment, "token").setAttribute("value", masked ? mask(token) : token);
        }
        return serialize(doc);
    }

    /** Stores a card at OBANK and asks for its token. */
    public static String storeCard(String point, String service, String account, Card card, boolean masked) {
        Document doc = newDocument();
        Element advanced = child(doc, request(doc, point), "advanced");
        advanced.setAttribute("function", "stored-cards");
        advanced.setAttribute("service", service);
        advanced.setAttribute("account", account);
        card(doc, advanced, card, masked);
        return serialize(doc);
    }

    public static String status(String point, String orderId) {
        Document doc = newDocument();
        child(doc, request(doc, point), "status").setAttribute("id", orderId);
        return serialize(doc);
    }

    private static void card(Document doc, Element parent, Card card, boolean masked) {
        Element e = child(doc, parent, "card");
        e.setAttribute("pan", masked ? Card.maskPan(card.pan()) : card.pan());
        e.setAttribute("holder", masked ? "***" : card.holder());
        e.setAttribute("exp-month", masked ? "**" : card.month());
        e.setAttribute("exp-year", masked ? "**" : card.year());
        if (!masked) {
            // The CVV goes to the bank and nowhere else: the masked (audit) form leaves the attribute out entirely.
            e.setAttribute("cvv", card.cvv());
        }
        if (card.email() != null) {
            e.setAttribute("email", card.email());
        }
    }

    private static String mask(String token) {
        return token == null || token.length() <= 8 ? "***" : token.substring(0, 4) + "***" + token.substring(token.length() - 4);
    }

    private static Element request(Document doc, String point) {
        Element request = doc.createElement("request");
        request.setAttribute("point", point);
        doc.appendChild(request);
        return request;
    }

    private static Element child(Document doc, Element parent, String name) {
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no XML document builder", e);
        }
    }

    private static String serialize(Document doc) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            var transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("XML not serialized", e);
        }
    }

    /** A StAX reader that refuses DTDs and never resolves external entities. */
    static XMLStreamReader reader(String xml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return factory.createXMLStreamReader(new StringReader(xml));
    }

    /** The attributes of the first element called {@code name}; a DTD, bad XML or no such element is an error. */
    public static Map<String, String> firstElement(String xml, String name) {
        if (xml == null || xml.isBlank()) {
            throw new MalformedXml("empty XML");
        }
        try {
            XMLStreamReader r = reader(xml);
            try {
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new MalformedXml("a DTD is not accepted");
                    }
                    if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                        throw new MalformedXml("entity references are not accepted");
                    }
                    if (event == XMLStreamConstants.START_ELEMENT && name.equals(r.getLocalName())) {
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attributes.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        return attributes;
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new MalformedXml("unparsable XML");
        }
        throw new MalformedXml("no <" + name + "> element");
    }

    /** Reads {@code <response><result code state trans sum token id/></response>}. */
    public static Result result(String xml) {
        return toResult(firstElement(xml, "result"));
    }

    /** Reads OBANK's notification {@code <notification><payment id trans state sum/></notification>}. */
    public static Result notification(String xml) {
        Map<String, String> a = firstElement(xml, "payment");
        if (a.get("id") == null || a.get("id").isBlank() || a.get("id").length() > 128) {
            throw new MalformedXml("payment id missing");
        }
        return toResult(a);
    }

    private static Result toResult(Map<String, String> a) {
        try {
            int code = Integer.parseInt(a.getOrDefault("code", "0").trim());
            int state = Integer.parseInt(a.getOrDefault("state", "0").trim());
            String sum = a.get("sum");
            Long amount = sum == null || sum.isBlank() ? null : Long.parseLong(sum.trim());
            if (amount != null && amount <= 0) {
                amount = null;
            }
            return new Result(code, state, a.get("trans"), amount, a.get("token"), a.get("id"));
        } catch (NumberFormatException e) {
            throw new MalformedXml("non-numeric code, state or sum");
        }
    }

    /** XML that is not what OBANK sends. The message never repeats the input. */
    public static class MalformedXml extends RuntimeException {
        public MalformedXml(String message) {
            super(message, null, false, false);
        }
    }
}
