package kg.evpower.platform.auth;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * Verifies service JWTs against security-service's published keys. Keys are fetched without blocking (Vert.x HTTP
 * client) and cached; a token signed with an unknown key id triggers one refetch (key rotation), at most every few
 * seconds. Signature checks are CPU-only (ES256), so they run on the calling thread.
 * <p>
 * A caller reuses its token until shortly before it expires, so a token that passed is remembered (bounded cache, keyed
 * by the whole token string) and the next request with the very same token skips the signature check: an ES256 check
 * was a quarter of payment-service's and station-gateway's CPU in the full-flow benchmark. What is remembered is only
 * good while the key set it was checked against is the current one, and never past the token's own expiry (plus the
 * allowed clock skew), so neither a rotated-out key nor an expired token is accepted from the cache. Refusals are not
 * remembered. Counted in {@code evpower_service_token_checks_total{outcome=verified|remembered|refused}}.
 */
// Created at start-up, so that a bad setting stops the service there instead of failing its first internal request.
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ServiceTokenVerifier {

    private static final long MIN_REFETCH_NANOS = 5_000_000_000L;

    /** Why a token was refused; the message is safe to show. */
    public static class RefusedToken extends RuntimeException {
        private final boolean missingRole;

        RefusedToken(String message, boolean missingRole) {
            super(message, null, false, false);
            this.missingRole = missingRole;
        }

        public boolean missingRole() {
            return missingRole;
        }
    }

    /** The verified caller. */
    public record Caller(String subject, List<String> groups) {
    }

    private record Keys(JsonWebKeySet set, long fetchedAt) {
    }

    /**
     * A token that passed against {@code keys}; good before {@code notAfterSecond} (its expiry plus the skew: the second
     * from which jose4j would refuse it, or earlier).
     */
    private record Passed(Caller caller, Keys keys, long notAfterSecond) {
    }

    private final ServiceAuthConfig config;
    private final HttpClient http;
    private final AtomicReference<Keys> keys = new AtomicReference<>();
    private final Cache<String, Passed> passed;
    private final Counter verified;
    private final Counter remembered;
    private final Counter refused;
    private volatile Uni<Keys> fetching;

    ServiceTokenVerifier(ServiceAuthConfig config, Vertx vertx, MeterRegistry registry) {
        checkSettings(config.rememberedTokens(), config.clockSkew());
        this.config = config;
        this.http = vertx.createHttpClient();
        this.passed = Caffeine.newBuilder().maximumSize(config.rememberedTokens())
                .expireAfterWrite(Duration.ofMinutes(10)).build();
        this.verified = checks(registry, "verified");
        this.remembered = checks(registry, "remembered");
        this.refused = checks(registry, "refused");
    }

    /** Refuses settings that make no sense, naming the setting (nothing else reads these two). */
    static void checkSettings(int rememberedTokens, Duration clockSkew) {
        if (rememberedTokens < 0) {
            throw new IllegalArgumentException(
                    "evpower.service-auth.remembered-tokens must be 0 (remember none) or more, was " + rememberedTokens);
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("evpower.service-auth.clock-skew must not be negative, was " + clockSkew);
        }
    }

    private static Counter checks(MeterRegistry registry, String outcome) {
        return Counter.builder("evpower.service.token.checks").description("Service tokens checked on /internal/**")
                .tag("outcome", outcome).register(registry);
    }

    public Uni<Caller> verify(String token) {
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(new RefusedToken("A service token is required.", false));
        }
        Keys current = keys.get();
        boolean currentUsable = current != null && !stale(current);
        if (currentUsable) {
            Passed known = passed.getIfPresent(token);
            if (known != null && known.keys() == current
                    && System.currentTimeMillis() / 1000 < known.notAfterSecond()) {
                remembered.increment();
                return Uni.createFrom().item(known.caller());
            }
        }
        Uni<Keys> available = currentUsable ? Uni.createFrom().item(current) : refresh();
        return available.chain(k -> {
            try {
                return Uni.createFrom().item(check(token, k));
            } catch (UnknownKey e) {
                if (System.nanoTime() - k.fetchedAt() < MIN_REFETCH_NANOS) {
                    refused.increment();
                    return Uni.createFrom().failure(new RefusedToken("The service token is not valid.", false));
                }
                return refresh().map(fresh -> check(token, fresh));
            }
        });
    }

    private static final class UnknownKey extends RuntimeException {
        UnknownKey() {
            super(null, null, false, false);
        }
    }

    private Caller check(String token, Keys k) {
        try {
            Caller caller = checkSignatureAndClaims(token, k);
            verified.increment();
            return caller;
        } catch (RefusedToken e) {
            refused.increment();
            throw e;
        }
    }

    private Caller checkSignatureAndClaims(String token, Keys k) {
        int skew = (int) config.clockSkew().toSeconds();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(skew)
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(config.audience())
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(k.set().getJsonWebKeys()))
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                        AlgorithmIdentifiers.RSA_USING_SHA256))
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            if (String.valueOf(e.getMessage()).contains("Unable to find a suitable verification key")) {
                throw new UnknownKey();
            }
            throw new RefusedToken("The service token is not valid.", false);
        }
        try {
            List<String> groups = claims.hasClaim("groups") ? claims.getStringListClaimValue("groups") : List.of();
            if (!groups.contains(config.requiredGroup())) {
                throw new RefusedToken("The token does not grant service access.", true);
            }
            Caller caller = new Caller(claims.getSubject(), groups);
            passed.put(token, new Passed(caller, k, claims.getExpirationTime().getValue() + skew));
            return caller;
        } catch (MalformedClaimException e) {
            throw new RefusedToken("The service token is not valid.", false);
        }
    }

    private boolean stale(Keys k) {
        return System.nanoTime() - k.fetchedAt() > config.jwksRefresh().toNanos();
    }

    /** Fetches the key set once for all concurrent callers. */
    private synchronized Uni<Keys> refresh() {
        if (fetching == null) {
            fetching = load().invoke(keys::set)
                    .onTermination().invoke(() -> {
                        synchronized (this) {
                            fetching = null;
                        }
                    })
                    .memoize().indefinitely();
        }
        Uni<Keys> inFlight = fetching;
        Keys previous = keys.get();
        return previous == null ? inFlight : inFlight.onFailure().recoverWithItem(previous);
    }

    private Uni<Keys> load() {
        String location = config.jwksUrl().orElse(null);
        if (location == null || location.isBlank()) {
            return Uni.createFrom().failure(new RefusedToken("Service tokens cannot be verified here.", false));
        }
        if (location.startsWith("classpath:")) {
            return Uni.createFrom().item(() -> parse(readClasspath(location.substring("classpath:".length()))));
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(location)
                .setTimeout(config.timeout().toMillis());
        return http.request(options)
                .chain(request -> request.send())
                .chain(response -> {
                    if (response.statusCode() != 200) {
                        return Uni.createFrom().failure(new IllegalStateException(
                                "JWKS answered " + response.statusCode()));
                    }
                    return response.body();
                })
                .map(body -> parse(body.toString(StandardCharsets.UTF_8)))
                .onFailure().invoke(f -> Log.warnf("Could not fetch service-token keys from %s: %s", location, f.toString()));
    }

    private static Keys parse(String json) {
        try {
            return new Keys(new JsonWebKeySet(json), System.nanoTime());
        } catch (JoseException e) {
            throw new IllegalStateException("The service-token key set is not a JWKS", e);
        }
    }

    private static String readClasspath(String path) {
        String resource = path.startsWith("/") ? path.substring(1) : path;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No key set at classpath:" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
