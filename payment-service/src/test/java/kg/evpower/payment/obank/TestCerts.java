package kg.evpower.payment.obank;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away mutual-TLS material made at test time with the JDK's keytool (no extra dependency) under
 * target/obank-tls/<uuid>/: a CA, a server certificate for 127.0.0.1, a client certificate, a trust store with the CA,
 * and a "rogue" self-signed client certificate the stub must refuse. Nothing here is ever committed.
 */
public record TestCerts(Path dir, String password, Path server, Path client, Path trust, Path rogue) {

    private static TestCerts shared;

    /** One set per JVM (keytool runs cost a few seconds). */
    public static synchronized TestCerts shared() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    public static TestCerts generate() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String pw = "t-" + HexFormat.of().formatHex(random);
        Path dir = Path.of("target", "obank-tls", UUID.randomUUID().toString()).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        TestCerts c = new TestCerts(dir, pw, dir.resolve("server.p12"), dir.resolve("client.p12"), dir.resolve("trust.p12"),
                dir.resolve("rogue.p12"));
        String ca = dir.resolve("ca.p12").toString();
        String caPem = dir.resolve("ca.pem").toString();
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=EvPower throw-away OBANK test CA", "-ext", "bc:c", "-validity", "2", "-keystore", ca, "-storetype", "PKCS12",
                "-storepass", pw, "-keypass", pw);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-file", caPem);
        signed(dir, pw, ca, caPem, c.server().toString(), "server", "CN=127.0.0.1", "serverAuth", "SAN=ip:127.0.0.1");
        signed(dir, pw, ca, caPem, c.client().toString(), "client", "CN=evpower-obank-client", "clientAuth", null);
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", c.trust().toString(),
                "-storetype", "PKCS12", "-storepass", pw);
        keytool(dir, "-genkeypair", "-alias", "rogue", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=rogue",
                "-validity", "2", "-keystore", c.rogue().toString(), "-storetype", "PKCS12", "-storepass", pw, "-keypass", pw);
        return c;
    }

    private static void signed(Path dir, String pw, String ca, String caPem, String store, String alias, String dname,
            String eku, String san) {
        String csr = dir.resolve(alias + ".csr").toString();
        String pem = dir.resolve(alias + ".pem").toString();
        keytool(dir, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-validity", "2", "-keystore", store, "-storetype", "PKCS12", "-storepass", pw, "-keypass", pw);
        keytool(dir, "-certreq", "-alias", alias, "-keystore", store, "-storepass", pw, "-file", csr);
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw,
                "-infile", csr, "-outfile", pem, "-validity", "2", "-ext", "EKU=" + eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(dir, gencert.toArray(String[]::new));
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", store, "-storepass", pw);
        keytool(dir, "-importcert", "-alias", alias, "-file", pem, "-keystore", store, "-storepass", pw);
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
