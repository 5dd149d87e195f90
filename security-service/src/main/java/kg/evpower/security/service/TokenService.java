package kg.evpower.security.service;

import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.service.SigningKeyService.SigningKey;

/**
 * Signs (SmallRye JWT build API) and verifies (jose4j) the ES256 tokens of the platform: charge-point tokens
 * ({@code type=cp_access}, {@code token_version}) and service tokens ({@code groups=["service"]}).
 */
@ApplicationScoped
public class TokenService {

    public static final String CP_TOKEN_TYPE = "cp_access";
    public static final String SERVICE_GROUP = "service";

    public record IssuedToken(String token, Instant expiresAt, long expiresInSeconds) {
    }

    /** Why a token was refused; the codes are the audit reason codes. */
    public static final class TokenRefusedException extends Exception {
        private final String reason;

        TokenRefusedException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final SigningKeyService keys;
    private final SecurityConfig config;

    TokenService(SigningKeyService keys, SecurityConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public IssuedToken issueChargePointToken(String cpId, int tokenVersion) {
        Duration lifetime = Duration.ofHours(config.tokens().cpExpirationHours());
        Instant now = Instant.now();
        Instant exp = now.plus(lifetime);
        SigningKey key = keys.active();
        String token = Jwt.claims()
                .issuer(config.issuer())
                .audience(config.tokens().cpAudience())
                .subject(cpId)
                .claim("type", CP_TOKEN_TYPE)
                .claim("token_version", tokenVersion)
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .claim("nbf", now.getEpochSecond())
                .expiresAt(exp)
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.ES256)
                .sign(key.privateKey());
        return new IssuedToken(token, exp, lifetime.toSeconds());
    }

    public IssuedToken issueServiceToken(String clientId) {
        Duration lifetime = config.tokens().serviceLifetime();
        Instant now = Instant.now();
        Instant exp = now.plus(lifetime);
        SigningKey key = keys.active();
        String token = Jwt.claims()
                .issuer(config.issuer())
                .audience(config.tokens().serviceAudience())
                .subject(clientId)
                .upn(clientId)
                .groups(Set.of(SERVICE_GROUP))
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(exp)
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.ES256)
                .sign(key.privateKey());
        return new IssuedToken(token, exp, lifetime.toSeconds());
    }

    /** The claims of a valid charge-point token (signature, iss, aud, exp, nbf, type); fails with the reason. */
    public Uni<JwtClaims> verifyChargePointToken(String token) {
        return verify(token, config.tokens().cpAudience()).map(claims -> {
            try {
                if (!CP_TOKEN_TYPE.equals(claims.getStringClaimValue("type"))) {
                    throw new RefusedUnchecked(new TokenRefusedException("INVALID_TOKEN", "not a charge-point token"));
                }
            } catch (MalformedClaimException e) {
                throw new RefusedUnchecked(new TokenRefusedException("INVALID_TOKEN", "malformed type claim"));
            }
            return claims;
        });
    }

    /** The claims of a valid service token. */
    public Uni<JwtClaims> verifyServiceToken(String token) {
        return verify(token, config.tokens().serviceAudience());
    }

    /** Unchecked carrier so a refusal can travel through a Uni; unwrap with {@link #refusal(Throwable)}. */
    public static final class RefusedUnchecked extends RuntimeException {
        private final TokenRefusedException refusal;

        RefusedUnchecked(TokenRefusedException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }

        public TokenRefusedException refusal() {
            return refusal;
        }
    }

    public static TokenRefusedException refusal(Throwable failure) {
        return failure instanceof RefusedUnchecked r ? r.refusal() : null;
    }

    private Uni<JwtClaims> verify(String token, String audience) {
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(new RefusedUnchecked(new TokenRefusedException("INVALID_TOKEN", "no token")));
        }
        return Uni.createFrom().item(() -> verifyNow(token, audience))
                .onFailure(e -> e instanceof UnknownKid)
                // A key this replica has not loaded yet (rotated elsewhere): reload once and try again.
                .recoverWithUni(() -> keys.reload().map(ignored -> {
                    try {
                        return verifyNow(token, audience);
                    } catch (UnknownKid e) {
                        throw new RefusedUnchecked(new TokenRefusedException("BAD_SIGNATURE", "unknown signing key"));
                    }
                }));
    }

    private static final class UnknownKid extends RuntimeException {
        UnknownKid() {
            super("unknown kid", null, false, false);
        }
    }

    private JwtClaims verifyNow(String token, String audience) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(30)
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(audience)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver((jws, nested) -> {
                    String kid = jws.getKeyIdHeaderValue();
                    Key key = kid == null ? null : keys.verificationKey(kid).orElse(null);
                    if (key == null) {
                        throw new UnresolvableKeyException("unknown kid");
                    }
                    return key;
                })
                .build();
        try {
            return consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.getCause() instanceof UnresolvableKeyException && knownKidMissing(e)) {
                throw new UnknownKid();
            }
            throw new RefusedUnchecked(classify(e));
        }
    }

    private static boolean knownKidMissing(InvalidJwtException e) {
        return e.getMessage() != null && e.getMessage().contains("unknown kid");
    }

    private static TokenRefusedException classify(InvalidJwtException e) {
        if (e.hasExpired()) {
            return new TokenRefusedException("EXPIRED_TOKEN", "token expired");
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.getCause() instanceof UnresolvableKeyException) {
            return new TokenRefusedException("BAD_SIGNATURE", "signature does not verify");
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return new TokenRefusedException("INVALID_TOKEN", "wrong audience");
        }
        return new TokenRefusedException("INVALID_TOKEN", "invalid token");
    }
}
