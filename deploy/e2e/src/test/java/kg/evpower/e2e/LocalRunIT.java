package kg.evpower.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The README's run command: from a fresh local directory (new secrets) it brings all four services to ready, and a
 * SIGTERM stops everything it started, leaving no process and no listening port behind.
 */
class LocalRunIT {

    private static final Map<String, Integer> PORTS = Map.of("station-gateway", 8081, "charging-service", 8082,
            "payment-service", 8083, "security-service", 8084);

    @Test
    void runCommandStartsAllServicesAndStopsCleanly() throws Exception {
        for (int port : PORTS.values()) {
            assertFalse(Processes.listening(port), "port " + port + " must be free before the run (is the system running?)");
        }
        Path local = Files.createTempDirectory("evpower-local-run");
        Path output = local.resolve("run-local.out");
        ProcessBuilder builder = new ProcessBuilder("bash", Processes.root().resolve("deploy/run-local.sh").toString(),
                "--no-build")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("EVPOWER_LOCAL_DIR", local.toString());
        builder.environment().put("EVPOWER_STATIONS", "2");
        Processes.freshDatabases("_runtest");
        builder.environment().put("EVPOWER_DB_SUFFIX", "_runtest");
        Process run = builder.start();
        try {
            boolean ready = Processes.waitFor(Duration.ofMinutes(4),
                    () -> !run.isAlive() || PORTS.values().stream().allMatch(Processes::ready));
            assertTrue(run.isAlive() && ready, "all four services ready; output:\n" + Processes.read(output)
                    + logs(local));
            assertTrue(Processes.waitFor(Duration.ofSeconds(60),
                    () -> Processes.read(output).contains("EvPower is running")), Processes.read(output));
            boolean gateway = Processes.read(output).contains("API gateway       http://127.0.0.1:8080");
            if (gateway) {
                assertTrue(Processes.waitFor(Duration.ofSeconds(10), () -> Processes.listening(8080)), "nginx listens");
            }
            String env = Processes.read(local.resolve(".env"));
            assertTrue(env.contains("EV_ADMIN_KEY=") && env.contains("EV_KEY_ENCRYPTION_SECRET="), "secrets generated");
            assertFalse(Processes.read(output).contains(env.lines().filter(l -> l.startsWith("EV_ADMIN_KEY="))
                    .findFirst().orElseThrow().substring("EV_ADMIN_KEY=".length())), "the admin key is never printed");

            List<ProcessHandle> started = run.descendants().toList();
            assertTrue(started.size() >= 4, "the services run as children of the run command: " + started.size());

            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(90, TimeUnit.SECONDS), "the run command stops on SIGTERM");
            assertEquals(0, run.exitValue(), Processes.read(output));
            for (ProcessHandle child : started) {
                assertTrue(Processes.waitFor(Duration.ofSeconds(10), () -> !child.isAlive()),
                        "nothing left running: " + child.info().commandLine().orElse(String.valueOf(child.pid())));
            }
            for (int port : PORTS.values()) {
                assertFalse(Processes.listening(port), "port " + port + " is closed after the stop");
            }
            assertFalse(gateway && Processes.listening(8080), "the API gateway stopped too");
            assertTrue(Processes.read(output).contains("stopped"), Processes.read(output));
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    private static String logs(Path local) {
        StringBuilder all = new StringBuilder();
        for (String service : PORTS.keySet()) {
            String log = Processes.read(local.resolve("logs").resolve(service + ".log"));
            all.append("\n--- ").append(service).append(" (last 3000 chars)\n")
                    .append(log.substring(Math.max(0, log.length() - 3000)));
        }
        return all.toString();
    }
}
