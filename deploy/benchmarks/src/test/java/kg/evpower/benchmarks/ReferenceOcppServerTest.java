package kg.evpower.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class ReferenceOcppServerTest {

    @Test
    void answersBootMeterValuesAndUnknownActions() throws Exception {
        try (ReferenceOcppServer server = ReferenceOcppServer.start("127.0.0.1", 0, 1);
                HttpClient client = HttpClient.newHttpClient()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket ws = client.newWebSocketBuilder().subprotocols("ocpp1.6")
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ocpp/CP-1"), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                received.add(text.toString());
                                text.setLength(0);
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertEquals("ocpp1.6", ws.getSubprotocol());

            JsonNode boot = call(ws, received, """
                    [2,"b1","BootNotification",{"chargePointVendor":"EvPower","chargePointModel":"M"}]""");
            assertEquals(3, boot.get(0).asInt());
            assertEquals("b1", boot.get(1).asText());
            assertEquals("Accepted", boot.get(2).get("status").asText());
            assertTrue(boot.get(2).get("interval").isInt());
            assertTrue(boot.get(2).get("currentTime").asText().endsWith("Z"));

            JsonNode meter = call(ws, received, """
                    [2,"m1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z",\
                    "sampledValue":[{"value":"10"}]}]}]""");
            assertEquals("[3,\"m1\",{}]", meter.toString());

            JsonNode start = call(ws, received, """
                    [2,"s1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2025-01-01T00:00:00Z"}]""");
            assertTrue(start.get(2).get("transactionId").isInt());
            assertEquals("Accepted", start.get(2).get("idTagInfo").get("status").asText());

            JsonNode unknown = call(ws, received, "[2,\"u1\",\"DataTransfer\",{\"vendorId\":\"x\"}]");
            assertEquals(4, unknown.get(0).asInt());
            assertEquals("NotImplemented", unknown.get(2).asText());

            assertEquals(4, server.answeredCalls());
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }

    private static JsonNode call(WebSocket ws, BlockingQueue<String> received, String frame) throws Exception {
        ws.sendText(frame, true).get(5, TimeUnit.SECONDS);
        String answer = received.poll(5, TimeUnit.SECONDS);
        assertTrue(answer != null, "no answer to " + frame);
        return ReferenceOcppServer.MAPPER.readTree(answer);
    }
}
