package kg.evpower.security.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jose4j.lang.UnresolvableKeyException;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;

/**
 * The admin JWT key's algorithms come in a fixed order that starts with the key's type. With {@code Set.of}, whose order
 * changes from run to run, a run that put ES256 first read the RSA key as EC and refused every admin JWT (seen in CI).
 */
class AdminJwtAlgorithmsTest {

    private static final String ISSUER = "https://idp.test.evpower.kg";

    private static String resource(String path) throws Exception {
        return new String(AdminJwtAlgorithmsTest.class.getResourceAsStream(path).readAllBytes());
    }

    private static String rsaPublicPem() throws Exception {
        return resource("/admin-jwt/publicKey.pem");
    }

    private static PrivateKey rsaPrivateKey() throws Exception {
        String body = resource("/admin-jwt/privateKey.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static DefaultJWTParser parser(String keyContent, Set<SignatureAlgorithm> algorithms) {
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setPublicKeyContent(keyContent);
        info.setIssuedBy(ISSUER);
        info.setSignatureAlgorithm(algorithms);
        return new DefaultJWTParser(info);
    }

    private static String token(PrivateKey key, SignatureAlgorithm algorithm) {
        return Jwt.issuer(ISSUER).subject("operator-aida").groups("admin").expiresIn(300).jws()
                .keyId("evpower-dev-idp").algorithm(algorithm).sign(key);
    }

    @Test
    void anRsaKeyReadWithEs256FirstRefusesEveryTokenWhichIsWhyTheOrderIsFixed() throws Exception {
        String pem = rsaPublicPem();
        String token = token(rsaPrivateKey(), SignatureAlgorithm.RS256);
        Set<SignatureAlgorithm> esFirst = new LinkedHashSet<>(List.of(SignatureAlgorithm.ES256, SignatureAlgorithm.RS256));

        ParseException refused = assertThrows(ParseException.class, () -> parser(pem, esFirst).parse(token));
        assertInstanceOf(UnresolvableKeyException.class, refused.getCause());

        assertEquals(List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.PS256),
                List.copyOf(AdminAuthenticator.algorithmsFor(pem)));
        assertEquals("operator-aida", parser(pem, AdminAuthenticator.algorithmsFor(pem)).parse(token).getSubject());
    }

    @Test
    void anEcKeyGetsEs256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";

        assertEquals(Set.of(SignatureAlgorithm.ES256), AdminAuthenticator.algorithmsFor(pem));
        String token = token(pair.getPrivate(), SignatureAlgorithm.ES256);
        assertEquals("operator-aida", parser(pem, AdminAuthenticator.algorithmsFor(pem)).parse(token).getSubject());
    }
}
