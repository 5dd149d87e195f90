package kg.evpower.benchmarks;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import kg.evpower.gateway.ocpp.frame.FrameCodec;
import kg.evpower.gateway.ocpp.frame.OcppCallException;
import kg.evpower.gateway.ocpp.frame.OcppFrame;
import kg.evpower.gateway.ocpp.message.BootNotificationRequest;
import kg.evpower.gateway.ocpp.message.IdTagInfo;
import kg.evpower.gateway.ocpp.message.MessageSchemas;
import kg.evpower.gateway.ocpp.message.MeterValuesRequest;
import kg.evpower.gateway.ocpp.message.OcppTime;
import kg.evpower.gateway.ocpp.message.StartTransactionRequest;

/**
 * Issue 9 item 4: the station-gateway's own OCPP-J path for one incoming CALL — {@link FrameCodec#decode} (Jackson
 * tree), the OCPP 1.6 schema check of {@link MessageSchemas}, the typed request ({@code *Request.from}), and
 * {@link FrameCodec#encode} of the CALLRESULT the gateway answers — for BootNotification, MeterValues (one meterValue,
 * 10 sampled values) and StartTransaction. {@link #jacksonOnly} is the in-run reference: the same frame read into a
 * tree and a same-shaped answer written with plain Jackson, no validation.
 *
 * <pre>java -jar deploy/benchmarks/target/benchmarks.jar OcppCodecBenchmark -f 3 -wi 3 -i 5 -w 2s -r 2s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class OcppCodecBenchmark {

    static final String BOOT = """
            [2,"19223201","BootNotification",{"chargePointVendor":"EvPower","chargePointModel":"SimCharger-22",\
            "chargePointSerialNumber":"SN-SIM-001","chargeBoxSerialNumber":"CB-SIM-001","firmwareVersion":"1.0.0",\
            "meterType":"DC-Meter","meterSerialNumber":"MS-0001"}]""";

    static final String START = """
            [2,"a5f2e1c0-0c43-4e0e-8b1b-6d7c1e1f2a3b","StartTransaction",{"connectorId":1,"idTag":"SIMTAG0001",\
            "meterStart":1234567,"timestamp":"2025-11-22T20:15:30.123Z"}]""";

    static final String METER_VALUES = meterValues();

    private static String meterValues() {
        String[][] samples = {
                {"12345.6", "Energy.Active.Import.Register", "Wh", null},
                {"22000", "Power.Active.Import", "W", null},
                {"31.9", "Current.Import", "A", "L1"},
                {"31.8", "Current.Import", "A", "L2"},
                {"32.0", "Current.Import", "A", "L3"},
                {"230.1", "Voltage", "V", "L1-N"},
                {"229.8", "Voltage", "V", "L2-N"},
                {"230.4", "Voltage", "V", "L3-N"},
                {"57", "SoC", "Percent", null},
                {"36.5", "Temperature", "Celsius", null}};
        StringBuilder sampled = new StringBuilder();
        for (String[] s : samples) {
            if (!sampled.isEmpty()) {
                sampled.append(',');
            }
            sampled.append("{\"value\":\"").append(s[0]).append("\",\"context\":\"Sample.Periodic\",\"measurand\":\"")
                    .append(s[1]).append("\",\"unit\":\"").append(s[2]).append('"');
            if (s[3] != null) {
                sampled.append(",\"phase\":\"").append(s[3]).append('"');
            }
            sampled.append(",\"location\":\"Outlet\"}");
        }
        return "[2,\"mv-000042\",\"MeterValues\",{\"connectorId\":1,\"transactionId\":4711,\"meterValue\":[{"
                + "\"timestamp\":\"2025-11-22T20:16:30.000Z\",\"sampledValue\":[" + sampled + "]}]}]";
    }

    @Param({"BootNotification", "MeterValues", "StartTransaction"})
    public String action;

    String frame;
    FrameCodec codec;
    ObjectMapper mapper;
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    @Setup
    public void setup() {
        frame = switch (action) {
            case "BootNotification" -> BOOT;
            case "MeterValues" -> METER_VALUES;
            case "StartTransaction" -> START;
            default -> throw new IllegalArgumentException(action);
        };
        mapper = new ObjectMapper();
        codec = new FrameCodec(mapper);
    }

    /** Decode, validate, read the typed request, encode the CALLRESULT — with the gateway's classes. */
    @Benchmark
    public String gatewayCodec() {
        OcppFrame.Call call = (OcppFrame.Call) codec.decode(frame);
        MessageSchemas.Message message = MessageSchemas.find(call.action()).orElseThrow();
        OcppCallException violation = message.request().check(call.payload());
        if (violation != null) {
            throw violation;
        }
        JsonNode payload = call.payload();
        ObjectNode answer = json.objectNode();
        switch (call.action()) {
            case "BootNotification" -> {
                BootNotificationRequest boot = BootNotificationRequest.from(payload);
                answer.put("status", boot.serialNumber() == null ? "Pending" : "Accepted")
                        .put("currentTime", OcppTime.now()).put("interval", 300);
            }
            case "MeterValues" -> {
                MeterValuesRequest values = MeterValuesRequest.from(payload);
                if (values.meterValue().getFirst().energyRegisterWh() == null) {
                    throw new IllegalStateException("no energy register");
                }
            }
            case "StartTransaction" -> {
                StartTransactionRequest start = StartTransactionRequest.from(payload);
                answer.put("transactionId", start.meterStart() > 0 ? 4711 : 0)
                        .set("idTagInfo", new IdTagInfo("Accepted", null, null).toJson());
            }
            default -> throw new IllegalStateException(call.action());
        }
        return codec.encode(new OcppFrame.CallResult(call.messageId(), answer));
    }

    /** Reference: parse to a Jackson tree and write a same-shaped CALLRESULT, nothing else. */
    @Benchmark
    public String jacksonOnly() throws Exception {
        JsonNode root = mapper.readTree(frame);
        ObjectNode answer = json.objectNode();
        switch (root.get(2).asText()) {
            case "BootNotification" -> answer.put("status", "Accepted").put("currentTime", Instant.now().toString())
                    .put("interval", 300);
            case "StartTransaction" -> answer.put("transactionId", 4711)
                    .set("idTagInfo", json.objectNode().put("status", "Accepted"));
            default -> { }
        }
        return mapper.writeValueAsString(json.arrayNode().add(3).add(root.get(1).asText()).add(answer));
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {OcppCodecBenchmark.class.getSimpleName()});
    }
}
