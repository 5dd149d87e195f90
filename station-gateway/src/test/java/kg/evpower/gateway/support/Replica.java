package kg.evpower.gateway.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second gateway process for integration tests: the packaged jar ({@code target/quarkus-app/quarkus-run.jar}) with the
 * test profile on a free loopback port, the test database that the Quarkus-launched replica already migrated (never
 * cleaned again) and the test's security-service stub. {@link #stop()} always ends it.
 */
public final class Replica {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final Process process;
    public final int port;
    public final Path log;

    private Replica(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public static Replica start(String instanceId, String logName, String... extraProperties) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "packaged jar at " + jar);
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + port,
                "-Devpower.instance-id=" + instanceId,
                "-D%test.quarkus.flyway.clean-at-start=false",
                "-Devpower.gateway.auth.security-url=" + SecurityServiceStub.url,
                "-Devpower.service-auth.token-url=" + SecurityServiceStub.url + "/auth/service-token",
                "-Devpower.service-auth.client-secret=" + SecurityServiceStub.clientSecret()));
        for (String property : extraProperties) {
            command.add("-D" + property);
        }
        command.add("-jar");
        command.add(jar.toString());
        Path log = Path.of("target", logName).toAbsolutePath();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Replica(process, port, log);
    }

    public void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "replica exited early (see " + log + ")");
            if (readiness() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replica not ready in 90 s (see " + log + ")");
    }

    /** The status of {@code /q/health/ready}, or -1 when nothing answers. */
    public int readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(base().resolve("/q/health/ready")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
