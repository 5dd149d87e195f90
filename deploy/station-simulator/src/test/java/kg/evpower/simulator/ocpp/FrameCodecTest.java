package kg.evpower.simulator.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameCodecTest {
    @Test
    void parsesTheThreeFrameTypes() throws Exception {
        OcppFrame.Call call = assertInstanceOf(OcppFrame.Call.class, FrameCodec.parse("[2,\"1\",\"Reset\",{\"type\":\"Soft\"}]"));
        assertEquals("Reset", call.action());
        assertEquals("Soft", call.payload().get("type").asText());
        assertInstanceOf(OcppFrame.CallResult.class, FrameCodec.parse("[3,\"1\",{}]"));
        OcppFrame.CallError error = assertInstanceOf(OcppFrame.CallError.class,
                FrameCodec.parse("[4,\"1\",\"NotImplemented\",\"no\",{}]"));
        assertEquals("NotImplemented", error.errorCode());
    }

    @Test
    void writesWhatItParses() throws Exception {
        String text = "[2,\"abc\",\"Heartbeat\",{}]";
        assertEquals(text, FrameCodec.write(FrameCodec.parse(text)));
    }

    @Test
    void refusesMalformedFrames() {
        for (String text : new String[] {"nope", "{}", "[2,\"1\"]", "[9,\"1\",{}]", "[2,1,\"Reset\",{}]",
                "[2,\"1\",\"Reset\",[]]", "[3,\"1\",\"x\"]"}) {
            assertThrows(FrameCodec.MalformedFrameException.class, () -> FrameCodec.parse(text), text);
        }
    }
}
