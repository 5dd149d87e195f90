package kg.evpower.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorOptionsTest {
    @Test
    void stationIdsFromPrefixOrList() {
        SimulatorOptions options = SimulatorOptions.parse("--url", "ws://127.0.0.1:8081/ocpp", "--stations", "3",
                "--id-prefix", "EVP-", "--password", "pw");
        assertEquals(List.of("EVP-001", "EVP-002", "EVP-003"), options.stationIds());
        assertEquals("pw", options.passwordFor("EVP-002"));
        assertEquals(List.of("A", "B"), SimulatorOptions.parse("--url=ws://127.0.0.1/ocpp", "--ids", "A,B").stationIds());
    }

    @Test
    void credentialsFileGivesIdsAndPasswords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "# id:password\nCP-1:key-one\nCP-2:key:two\n");
        SimulatorOptions options = SimulatorOptions.parse("--url", "ws://127.0.0.1/ocpp", "--credentials-file", file.toString());
        assertEquals(List.of("CP-1", "CP-2"), options.stationIds());
        assertEquals("key:two", options.passwordFor("CP-2"));
        SimulatorOptions one = SimulatorOptions.parse("--url", "ws://127.0.0.1/ocpp", "--credentials-file", file.toString(),
                "--ids", "CP-1,CP-9");
        assertEquals("key-one", one.passwordFor("CP-1"));
        assertNull(one.passwordFor("CP-9"));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--stations", "2"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "http://127.0.0.1/ocpp"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "ws://127.0.0.1/o", "--nope", "1"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "ws://127.0.0.1/o", "--scenario", "x"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "ws://127.0.0.1/o", "--connectors", "0"));
        assertThrows(SimulatorOptions.HelpRequested.class, () -> SimulatorOptions.parse("--help"));
    }
}
