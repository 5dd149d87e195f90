package kg.evpower.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import kg.evpower.gateway.ocpp.message.MessageSchemas;

/** One call of each benchmark method per frame (not a measurement): the frames are valid and both paths answer. */
class OcppCodecBenchmarkTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"BootNotification", "MeterValues", "StartTransaction"})
    void eachBenchmarkAnswersOnce(String action) throws Exception {
        OcppCodecBenchmark benchmark = new OcppCodecBenchmark();
        benchmark.action = action;
        benchmark.setup();
        JsonNode frame = mapper.readTree(benchmark.frame);
        assertEquals(null, MessageSchemas.find(action).orElseThrow().request().check(frame.get(3)),
                "the benchmark's frame is schema-valid");

        JsonNode gateway = mapper.readTree(benchmark.gatewayCodec());
        JsonNode reference = mapper.readTree(benchmark.jacksonOnly());
        assertEquals(3, gateway.get(0).asInt());
        assertEquals(frame.get(1), gateway.get(1));
        assertEquals(gateway.get(2).properties().stream().map(e -> e.getKey()).toList(),
                reference.get(2).properties().stream().map(e -> e.getKey()).toList());
        if (action.equals("MeterValues")) {
            assertEquals(10, frame.get(3).get("meterValue").get(0).get("sampledValue").size());
            assertTrue(gateway.get(2).isEmpty());
        }
    }
}
