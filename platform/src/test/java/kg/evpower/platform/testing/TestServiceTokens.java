package kg.evpower.platform.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;

/**
 * Service tokens for tests, signed with the platform's test key, whose public part the test profile trusts
 * ({@code %test.evpower.service-auth.jwks-url}). {@link #bearer()} is what an internal caller sends.
 */
public final class TestServiceTokens {

    private static final EllipticCurveJsonWebKey KEY = load();

    private TestServiceTokens() {
    }

    /** {@code "Bearer <token>"} of a valid service token (subject {@code test-caller}). */
    public static String bearer() {
        return "Bearer " + token("test-caller", List.of("service"), "evpower-security", "evpower-internal", 300);
    }

    /** A token with the given claims, signed by the trusted test key; a negative {@code expiresInSeconds} is expired. */
    public static String token(String subject, List<String> groups, String issuer, String audience, long expiresInSeconds) {
        return sign(KEY, subject, groups, issuer, audience, expiresInSeconds);
    }

    /** A well-formed service token signed by a key nobody trusts. */
    public static String signedByUnknownKey() {
        try {
            EllipticCurveJsonWebKey stranger = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            stranger.setKeyId(KEY.getKeyId());
            return sign(stranger, "intruder", List.of("service"), "evpower-security", "evpower-internal", 300);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(EllipticCurveJsonWebKey key, String subject, List<String> groups, String issuer,
            String audience, long expiresInSeconds) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience(audience);
            claims.setSubject(subject);
            claims.setStringListClaim("groups", groups);
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(expiresInSeconds / 60f);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EllipticCurveJsonWebKey load() {
        try (InputStream in = TestServiceTokens.class.getClassLoader().getResourceAsStream("evpower/test-service-key.json")) {
            if (in == null) {
                throw new IllegalStateException("evpower/test-service-key.json is missing from the test classpath");
            }
            return (EllipticCurveJsonWebKey) JsonWebKey.Factory.newJwk(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
