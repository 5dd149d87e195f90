package kg.evpower.payment.obank;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;

/**
 * An OBANK stand-in for tests: HTTPS on 127.0.0.1 that requires a client certificate issued by the test CA, answering
 * OBANK-like XML. Card {@link #DECLINED_PAN} is declined; every other valid card is paid (state 60). It runs on its own
 * Vert.x instance (not the application's).
 */
public final class ObankStub {

    public static final String DECLINED_PAN = "4000000000000002";

    private final Vertx vertx = Vertx.vertx();
    private HttpServer server;
    /** Requests the stub answered (path, body) — the bank legitimately sees the card data. */
    public final List<String[]> received = new CopyOnWriteArrayList<>();
    /** Order id -> payment state. */
    public final Map<String, Integer> states = new ConcurrentHashMap<>();
    public final Map<String, Long> sums = new ConcurrentHashMap<>();
    public final AtomicInteger handshakesWithCertificate = new AtomicInteger();
    /** When set, the next payment is answered "in progress" (state 40) instead of paid. */
    public volatile boolean holdNextPayment;
    /** When true the stub answers 503 to everything. */
    public volatile boolean down;

    public int start(TestCerts certs) {
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PfxOptions().setPath(certs.server().toString()).setPassword(certs.password()))
                .setTrustOptions(new PfxOptions().setPath(certs.trust().toString()).setPassword(certs.password()))
                .setClientAuth(ClientAuth.REQUIRED);
        try {
            server = vertx.createHttpServer(options).requestHandler(this::handle).listen().toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("OBANK stub did not start", e);
        }
        return server.actualPort();
    }

    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void handle(HttpServerRequest request) {
        try {
            if (request.connection().peerCertificates().isEmpty()) {
                request.response().setStatusCode(403).end();
                return;
            }
            handshakesWithCertificate.incrementAndGet();
        } catch (Exception e) {
            request.response().setStatusCode(403).end();
            return;
        }
        request.body().onSuccess(buffer -> {
            String body = buffer.toString();
            received.add(new String[] {request.path(), body});
            if (down) {
                request.response().setStatusCode(503).end();
                return;
            }
            try {
                request.response().putHeader("Content-Type", "application/xml").end(answer(request.path(), body));
            } catch (Exception e) {
                request.response().setStatusCode(400).end("<response><result code=\"30\"/></response>");
            }
        });
    }

    private String answer(String path, String body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body.getBytes("UTF-8")));
        Element root = doc.getDocumentElement();
        if (!"request".equals(root.getTagName()) || root.getAttribute("point").isBlank()) {
            return "<response><result code=\"30\"/></response>";
        }
        Element payment = first(root, "payment");
        Element advanced = first(root, "advanced");
        Element status = first(root, "status");
        if (path.endsWith("/h2hstatus") && status != null) {
            String id = status.getAttribute("id");
            Integer state = states.get(id);
            return state == null ? "<response><result code=\"10\" id=\"" + id + "\"/></response>"
                    : result(0, state, id, sums.get(id), null);
        }
        if (path.endsWith("/token-Create") && advanced != null && "stored-cards".equals(advanced.getAttribute("function"))) {
            Element card = first(advanced, "card");
            if (card == null || DECLINED_PAN.equals(card.getAttribute("pan"))) {
                return "<response><result code=\"0\" state=\"80\"/></response>";
            }
            return result(0, 60, null, null, "tok_" + UUID.randomUUID().toString().replace("-", ""));
        }
        if (payment != null) {
            String id = payment.getAttribute("id");
            long sum = Long.parseLong(payment.getAttribute("sum"));
            Element card = first(payment, "card");
            boolean declined = card != null && DECLINED_PAN.equals(card.getAttribute("pan"));
            int state = declined ? 80 : holdNextPayment ? 40 : 60;
            holdNextPayment = false;
            states.put(id, state);
            sums.put(id, sum);
            return result(0, state, id, sum, null);
        }
        return "<response><result code=\"30\"/></response>";
    }

    private static Element first(Element parent, String name) {
        var list = parent.getElementsByTagName(name);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static String result(int code, int state, String id, Long sum, String token) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        Element response = doc.createElement("response");
        doc.appendChild(response);
        Element result = doc.createElement("result");
        response.appendChild(result);
        result.setAttribute("code", Integer.toString(code));
        result.setAttribute("state", Integer.toString(state));
        result.setAttribute("trans", "T" + UUID.randomUUID().toString().substring(0, 8));
        if (id != null) {
            result.setAttribute("id", id);
        }
        if (sum != null) {
            result.setAttribute("sum", Long.toString(sum));
        }
        if (token != null) {
            result.setAttribute("token", token);
        }
        var out = new java.io.StringWriter();
        javax.xml.transform.TransformerFactory.newInstance().newTransformer()
                .transform(new javax.xml.transform.dom.DOMSource(doc), new javax.xml.transform.stream.StreamResult(out));
        return out.toString();
    }
}
