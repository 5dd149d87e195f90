package kg.evpower.security.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
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
 * <li>{@code evpower_job_runs_total{job,outcome}}: scheduled job runs ({@code signing_key_refresh}).</li>
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

    private final Map<String, Counter> authFailures;
    private final Map<String, Counter> decryptionFailures;
    private final Counter revoked;
    private final Map<String, Counter> jobRuns;

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
        jobRuns = List.of("success", "failure").stream().collect(Collectors.toMap(Function.identity(),
                outcome -> Counter.builder("evpower.job.runs").description("Scheduled job runs by outcome")
                        .tag("job", JOB_SIGNING_KEY_REFRESH).tag("outcome", outcome).register(registry)));
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

    public void jobRun(boolean success) {
        jobRuns.get(success ? "success" : "failure").increment();
    }
}
