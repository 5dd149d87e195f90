package kg.evpower.security.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of security-service; secrets are not here but read by {@link Secrets} from the environment. */
@ConfigMapping(prefix = "evpower.security")
public interface SecurityConfig {

    /** {@code iss} of every token this service signs. */
    @WithDefault("evpower-security")
    String issuer();

    Tokens tokens();

    SigningKeys signingKeys();

    Passwords passwords();

    Lockout lockout();

    RateLimit rateLimit();

    EncryptionKeys encryptionKeys();

    AdminJwt adminJwt();

    KeyAge keyAge();

    /** Addresses (exact IPs) of proxies whose X-Forwarded-For is believed; nobody's by default. */
    Optional<List<String>> trustedProxies();

    interface Tokens {
        /** Lifetime of a charge-point token ({@code EV_TOKEN_EXPIRATION_HOURS}). */
        @WithDefault("24")
        int cpExpirationHours();

        /** {@code aud} of charge-point tokens. */
        @WithDefault("evpower-charge-point")
        String cpAudience();

        /** {@code aud} of service tokens. */
        @WithDefault("evpower-internal")
        String serviceAudience();

        @WithDefault("15m")
        Duration serviceLifetime();
    }

    interface SigningKeys {
        /** How often each replica reloads the signing keys (a rotation on another replica shows up within this). */
        @WithDefault("30s")
        Duration refreshInterval();

        /** The active signing key is replaced automatically once it is this old (0 = only by the admin API). */
        @WithDefault("P30D")
        Duration rotateAfter();
    }

    interface Passwords {
        /** PBKDF2-HMAC-SHA256 iterations for new authorization-key hashes (stored with each hash). */
        @WithDefault("600000")
        int iterations();
    }

    interface Lockout {
        /** Failed attempts per charge point or per source address within {@link #window()} that lock it out. */
        @WithDefault("5")
        int maxFailures();

        @WithDefault("15m")
        Duration window();
    }

    interface RateLimit {
        /** Requests per source address and minute on /auth/**. */
        @WithDefault("60")
        int authPerMinute();

        /** Requests per source address and minute on the admin API. */
        @WithDefault("300")
        int adminPerMinute();
    }

    interface EncryptionKeys {
        /** How long a rotated key still decrypts (in-flight messages). */
        @WithDefault("1h")
        Duration decryptGrace();

        /** Largest plaintext accepted by /internal/crypto/{cpId}/encrypt, in bytes. */
        @WithDefault("65536")
        int maxPlaintextBytes();
    }

    /** The daily key-age job ({@code KeyAgeJob}): reports, and optionally rotates, keys older than {@link #maxAge()}. */
    interface KeyAge {
        /** false: neither the daily run nor the start-up report happens (the gauges stay at 0). */
        @WithDefault("true")
        boolean enabled();

        /** Quartz cron of the daily run, in the server's time zone ({@code off} disables the schedule). */
        @WithDefault("0 15 3 * * ?")
        String cron();

        /** An encryption key or authorization key older than this is reported. */
        @WithDefault("P90D")
        Duration maxAge();

        /**
         * true: the daily run also rotates every encryption key over age, like {@code POST /keys/reset} (the old version
         * decrypts for {@link EncryptionKeys#decryptGrace()} more). Authorization keys are never rotated by the job.
         */
        @WithDefault("false")
        boolean autoRotate();
    }

    interface AdminJwt {
        /** Public key (PEM, JWK or JWKS; file, classpath or URL) that verifies admin JWTs; unset = admin key only. */
        Optional<String> publicKeyLocation();

        /** Required {@code iss} of admin JWTs. */
        Optional<String> issuer();

        /** Group an admin JWT must carry. */
        @WithDefault("admin")
        String group();
    }
}
