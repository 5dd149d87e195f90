package kg.evpower.platform.auth;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Service-to-service authentication: the service JWTs issued by security-service (docs/contracts.md). */
@ConfigMapping(prefix = "evpower.service-auth")
public interface ServiceAuthConfig {

    /** Whether {@code /internal/**} requires a service token (only tests of unrelated behaviour turn it off). */
    @WithDefault("true")
    boolean enabled();

    /** Where the verification keys are: security-service's {@code /.well-known/jwks.json}, or {@code classpath:...}. */
    Optional<String> jwksUrl();

    @WithDefault("evpower-security")
    String issuer();

    @WithDefault("evpower-internal")
    String audience();

    /** The group a caller's token must have. */
    @WithDefault("service")
    String requiredGroup();

    /** How far a token's expiry may lie in the past (clocks of two hosts differ a little). */
    @WithDefault("30s")
    Duration clockSkew();

    /** How many tokens that passed are remembered, so a caller's reused token is not checked again (0: none). */
    @WithDefault("1000")
    int rememberedTokens();

    /** How long fetched keys are used before they are fetched again (an unknown key id refetches sooner). */
    @WithDefault("10m")
    Duration jwksRefresh();

    /** security-service's {@code /auth/service-token}, for this service's own outbound calls. */
    Optional<String> tokenUrl();

    /** This service's client id at security-service. */
    @WithDefault("${quarkus.application.name}")
    String clientId();

    /** This service's client secret ({@code EVPOWER_SERVICE_SECRET}). */
    Optional<String> clientSecret();

    /** Timeout of the calls to security-service for keys and tokens. */
    @WithDefault("3s")
    Duration timeout();
}
