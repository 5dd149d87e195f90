package kg.evpower.charging.support;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/** Tokens of the test identity provider (private key in src/test/resources only). */
public final class Tokens {

    public static final String ISSUER = "https://idp.evpower.local";
    public static final String AUDIENCE = "evpower-app";
    private static final PrivateKey KEY = load();

    private Tokens() {
    }

    public static String client(String sub) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(sub).expiresIn(600).sign(KEY);
    }

    public static String admin(String sub) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(sub).groups(Set.of("admin")).expiresIn(600).sign(KEY);
    }

    public static String wrongIssuer(String sub) {
        return Jwt.issuer("https://evil.example").audience(AUDIENCE).subject(sub).expiresIn(600).sign(KEY);
    }

    public static String hs256(String sub) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(sub).expiresIn(600)
                .signWithSecret("a-shared-secret-that-must-never-be-accepted-0123456789");
    }

    private static PrivateKey load() {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream("test-idp-private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
