package kg.evpower.security.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The security service's own meters, registered at start-up with every known tag value so that they are on
 * {@code /q/metrics} (at 0) before the first event and alert rules never see a missing series:
 * <ul>
 * <li>{@code evpower_security_auth_failures_total{reason}}: refused charge-point authentications — {@code wrong_key},
 * {@code unknown}, {@code revoked}, {@code locked_out}, and {@code rate_limited} (the per-address limit on /auth/**);</li>
 * <li>{@code evpower_security_decryption_failures_total{kind}}: refused decryptions by error type;</li>
 * <li>{@code evpower_security_charge_points_revoked_total}: charge points that became REVOKED;</li>
 * <li>{@code evpower_security_keys_over_age{kind}}: gauge, non-REVOKED charge points whose {@code encryption} key or
 * {@code authorization} key is older than {@code evpower.security.key-age.max-age} and still was at the end of the last
 * key-age run (0 until the first run; a report-only run at start-up sets it);</li>
 * <li>{@code evpower_job_runs_total{job,outcome}}: scheduled job runs ({@code signing_key_refresh}, {@code key_age}).</li>
 * </ul>
 */
@Startup
@ApplicationScoped
public class SecurityMetrics {

    public static final List<String> AUTH_FAILURE_REASONS = List.of("wrong_key", "unknown", "revoked", "locked_out",
            "rate_limited");
    /** The error types of {@code encryption_error} a decryption can end with. */
    public static final List<String> DECRYPTION_KINDS = List.of("invalid_format", "key_not_found", "key_revoked",
            "key_expired", "decryption_failed", "key_mismatch");
    public static final String JOB_SIGNING_KEY_REFRESH = "signing_key_refresh";
    public static final String JOB_KEY_AGE = "key_age";
    /** The {@code kind} tags of {@code evpower_security_keys_over_age}. */
    public static final String KEY_ENCRYPTION = "encryption";
    public static final String KEY_AUTHORIZATION = "authorization";
    public static final List<String> KEY_KINDS = List.of(KEY_ENCRYPTION, KEY_AUTHORIZATION);
    public static final List<String> JOBS = List.of(JOB_SIGNING_KEY_REFRESH, JOB_KEY_AGE);

    private final Map<String, Counter> authFailures;
    private final Map<String, Counter> decryptionFailures;
    private final Counter revoked;
    /** job -> outcome -> counter. */
    private final Map<String, Map<String, Counter>> jobRuns;
    private final Map<String, AtomicLong> keysOverAge;

    SecurityMetrics(MeterRegistry registry) {
        authFailures = AUTH_FAILURE_REASONS.stream().collect(Collectors.toMap(Function.identity(),
                reason -> Counter.builder("evpower.security.auth.failures")
                        .description("Refused charge-point authentications by reason").tag("reason", reason)
                        .register(registry)));
        decryptionFailures = DECRYPTION_KINDS.stream().collect(Collectors.toMap(Function.identity(),
                kind -> Counter.builder("evpower.security.decryption.failures")
                        .description("Refused payload decryptions by kind").tag("kind", kind).register(registry)));
        revoked = Counter.builder("evpower.security.charge.points.revoked")
                .description("Charge points moved to REVOKED").register(registry);
        jobRuns = JOBS.stream().collect(Collectors.toMap(Function.identity(),
                job -> List.of("success", "failure").stream().collect(Collectors.toMap(Function.identity(),
                        outcome -> Counter.builder("evpower.job.runs").description("Scheduled job runs by outcome")
                                .tag("job", job).tag("outcome", outcome).register(registry)))));
        keysOverAge = KEY_KINDS.stream().collect(Collectors.toMap(Function.identity(), kind -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("evpower.security.keys.over.age", value, AtomicLong::get)
                    .description("Non-revoked charge points whose key of this kind is older than the key-age limit")
                    .tag("kind", kind).strongReference(true).register(registry);
            return value;
        }));
    }

    public void authFailure(String reason) {
        Counter counter = authFailures.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("unknown authentication failure reason " + reason);
        }
        counter.increment();
    }

    /** {@code kind} is the refusal's error type; an unexpected one is counted as {@code decryption_failed}. */
    public void decryptionFailure(String kind) {
        decryptionFailures.getOrDefault(kind, decryptionFailures.get("decryption_failed")).increment();
    }

    public void chargePointRevoked() {
        revoked.increment();
    }

    /** A run of the signing-key refresh. */
    public void jobRun(boolean success) {
        jobRun(JOB_SIGNING_KEY_REFRESH, success);
    }

    public void jobRun(String job, boolean success) {
        Map<String, Counter> outcomes = jobRuns.get(job);
        if (outcomes == null) {
            throw new IllegalArgumentException("unknown job " + job);
        }
        outcomes.get(success ? "success" : "failure").increment();
    }

    /** Sets the gauge of {@code kind} ({@link #KEY_ENCRYPTION} or {@link #KEY_AUTHORIZATION}). */
    public void keysOverAge(String kind, long chargePoints) {
        AtomicLong value = keysOverAge.get(kind);
        if (value == null) {
            throw new IllegalArgumentException("unknown key kind " + kind);
        }
        value.set(chargePoints);
    }
}
