package kg.evpower.gateway.support;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Throw-away TLS material made at test time with the JDK's keytool in {@code target/tls/} (nothing is committed): a test
 * CA, a server certificate for 127.0.0.1 signed by it, a trust store holding the CA, client certificates signed by the
 * CA for {@link #STATION}, {@link #REVOKED} and {@link #UNKNOWN}, and a self-signed {@link #UNTRUSTED} one. Starts the
 * gateway's TLS listener on a free port with {@code client-auth=request}.
 */
public class TlsStores implements QuarkusTestResourceLifecycleManager {

    public static final String STATION = "tls-station-1";
    public static final String REVOKED = "tls-revoked-1";
    public static final String UNKNOWN = "tls-unknown-1";
    public static final String UNTRUSTED = "tls-untrusted-1";
    static final char[] PASSWORD = "test-store-pass".toCharArray();
    public static final Path DIR = Path.of("target", "tls").toAbsolutePath();
    public static volatile int sslPort;

    @Override
    public Map<String, String> start() {
        try {
            create();
            try (ServerSocket socket = new ServerSocket(0)) {
                sslPort = socket.getLocalPort();
            }
        } catch (Exception e) {
            throw new IllegalStateException("TLS test material not created", e);
        }
        String pass = new String(PASSWORD);
        return Map.of("quarkus.http.test-ssl-port", String.valueOf(sslPort),
                "quarkus.http.ssl-port", String.valueOf(sslPort),
                "quarkus.http.insecure-requests", "disabled",
                "quarkus.http.ssl.certificate.key-store-file", DIR.resolve("server.p12").toString(),
                "quarkus.http.ssl.certificate.key-store-password", pass,
                "quarkus.http.ssl.certificate.trust-store-file", DIR.resolve("truststore.p12").toString(),
                "quarkus.http.ssl.certificate.trust-store-password", pass);
    }

    @Override
    public void stop() {
    }

    /** An SSLContext presenting {@code holder}'s client certificate (or none when null) and trusting the test CA. */
    public static SSLContext clientContext(String holder) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keyStore = null;
        if (holder != null) {
            keyStore = load(DIR.resolve("client-" + holder + ".p12"));
        }
        keys.init(keyStore, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(DIR.resolve("truststore.p12")));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(holder == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static synchronized void create() throws Exception {
        if (Files.exists(DIR.resolve("done"))) {
            return;
        }
        Files.createDirectories(DIR);
        try (var old = Files.list(DIR)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        genkeypair("ca", "CN=EvPower Test CA", "-ext", "bc:c");
        List<CompletableFuture<Void>> work = new ArrayList<>();
        work.add(CompletableFuture.runAsync(() -> signed("server", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost")));
        for (String holder : List.of(STATION, REVOKED, UNKNOWN)) {
            work.add(CompletableFuture.runAsync(() -> signed("client-" + holder, "CN=" + holder + ",O=EvPower", null)));
        }
        work.add(CompletableFuture.runAsync(() -> unchecked(() -> genkeypair("client-" + UNTRUSTED,
                "CN=" + UNTRUSTED + ",O=EvPower"))));
        CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        Certificate ca = load(DIR.resolve("ca.p12")).getCertificate("ca");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        store(trust, DIR.resolve("truststore.p12"));
        for (String name : List.of("server", "client-" + STATION, "client-" + REVOKED, "client-" + UNKNOWN)) {
            KeyStore own = load(DIR.resolve(name + ".p12"));
            PrivateKey key = (PrivateKey) own.getKey(name, PASSWORD);
            Certificate cert;
            try (InputStream in = Files.newInputStream(DIR.resolve(name + ".crt"))) {
                cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            own.setKeyEntry(name, key, PASSWORD, new Certificate[] {cert, ca});
            store(own, DIR.resolve(name + ".p12"));
        }
        Files.writeString(DIR.resolve("done"), "");
    }

    private static void signed(String name, String dname, String san) {
        unchecked(() -> {
            genkeypair(name, dname);
            keytool("-certreq", "-alias", name, "-keystore", DIR.resolve(name + ".p12").toString(),
                    "-file", DIR.resolve(name + ".csr").toString());
            List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore",
                    DIR.resolve("ca.p12").toString(), "-infile", DIR.resolve(name + ".csr").toString(), "-outfile",
                    DIR.resolve(name + ".crt").toString(), "-rfc", "-validity", "2"));
            if (san != null) {
                gencert.add("-ext");
                gencert.add(san);
            }
            keytool(gencert.toArray(String[]::new));
        });
    }

    private static void genkeypair(String name, String dname, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-dname", dname, "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                DIR.resolve(name + ".p12").toString()));
        args.addAll(List.of(extra));
        keytool(args.toArray(String[]::new));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", new String(PASSWORD), "-noprompt"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool hung: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static void store(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void unchecked(Work work) {
        try {
            work.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
