package kg.evpower.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    void singleUrlServesEveryStation() {
        SimulatorOptions options = SimulatorOptions.parse("--url", "ws://127.0.0.1:8081/ocpp", "--stations", "3");
        assertEquals(List.of(URI.create("ws://127.0.0.1:8081/ocpp")), options.urls());
        for (int i = 0; i < 3; i++) {
            assertEquals(URI.create("ws://127.0.0.1:8081/ocpp"), options.urlFor(i));
        }
        assertEquals("ws://127.0.0.1:8081/ocpp", options.urlText());
    }

    @Test
    void severalUrlsAreAssignedRoundRobinInStationOrder(@TempDir Path dir) throws Exception {
        String a = "ws://127.0.0.1:18381/ocpp";
        String b = "ws://127.0.0.1:18382/ocpp";
        SimulatorOptions options = SimulatorOptions.parse("--load", "--url", a + ", " + b + ",", "--ids", "S1,S2,S3,S4,S5");
        assertEquals(List.of(URI.create(a), URI.create(b)), options.urls());
        assertEquals(a + "," + b, options.urlText());
        List<URI> assigned = new ArrayList<>();
        for (int i = 0; i < options.stationIds().size(); i++) {
            assigned.add(options.urlFor(i));
        }
        assertEquals(List.of(URI.create(a), URI.create(b), URI.create(a), URI.create(b), URI.create(a)), assigned);

        // The order is the credentials file's when it gives the ids.
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "Z-9:k1\nA-1:k2\nM-5:k3\n");
        SimulatorOptions fromFile = SimulatorOptions.parse("--url", a + "," + b, "--credentials-file", file.toString());
        assertEquals(List.of("Z-9", "A-1", "M-5"), fromFile.stationIds());
        assertEquals(URI.create(b), fromFile.urlFor(1));
        assertEquals(URI.create(a), fromFile.urlFor(2));
    }

    @Test
    void everyUrlOfAListIsChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse("--url", "ws://127.0.0.1/ocpp,http://127.0.0.1/ocpp"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", " , "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1:1/ocpp,ws://10.0.0.1:1/ocpp"));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--stations", "2"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "http://127.0.0.1/ocpp"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "ws://127.0.0.1/o", "--nope", "1"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "ws://127.0.0.1/o", "--scenario", "x"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.parse("--url", "ws://127.0.0.1/o", "--connectors", "0"));
        assertThrows(SimulatorOptions.HelpRequested.class, () -> SimulatorOptions.parse("--help"));
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/o", "--settle-seconds", "-1"));
        assertEquals(10, SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/o").settle().toSeconds());
        assertEquals(2500, SimulatorOptions.parse("--load", "--url", "ws://127.0.0.1/o", "--settle-seconds", "2.5")
                .settle().toMillis());
    }
}
