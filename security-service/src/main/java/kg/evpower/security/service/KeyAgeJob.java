package kg.evpower.security.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.vertx.NewContext;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.metrics.SecurityMetrics;

/**
 * The daily key-age job: finds the non-REVOKED charge points whose active encryption key, or whose authorization key
 * (the credential: last rotated, else registered), is older than {@code evpower.security.key-age.max-age} (90 days),
 * sets the gauges {@code evpower_security_keys_over_age{kind}}, counts {@code evpower_job_runs_total{job="key_age"}}
 * and logs one line with the counts and the charge point ids (never key material).
 * <p>
 * With {@code evpower.security.key-age.auto-rotate=true} it also rotates every encryption key over age, as
 * {@code POST /keys/reset} would (the old version becomes DECRYPT_ONLY for the grace period; event; {@code KEY_RESET}
 * audit row by {@value #ACTOR}). Authorization keys are only reported: the station holds its own and a new one would
 * lock it out until it is configured with it.
 * <p>
 * Replica-safe: every replica runs it at the same time of day; a rotation re-checks the key's age under the charge
 * point's row lock ({@link EncryptionKeyService#rotateIfOlderThan}), so a key is rotated once, by whichever replica
 * gets the lock first. A report-only pass at start-up fills the gauges, so they do not read 0 until the next night.
 */
@ApplicationScoped
public class KeyAgeJob {

    public static final String ACTOR = "system:key-age";
    /** At most this many charge point ids per list in the log line. */
    static final int LOGGED_IDS = 50;

    private static final String ENCRYPTION_OVER_AGE = "SELECT cp.cp_id FROM charge_point cp"
            + " JOIN cp_encryption_key k ON k.cp_id = cp.cp_id AND k.status = 'ACTIVE'"
            + " WHERE cp.status <> 'REVOKED' AND k.created_at < $1 ORDER BY cp.cp_id";
    private static final String AUTHORIZATION_OVER_AGE = "SELECT cp_id FROM charge_point"
            + " WHERE status <> 'REVOKED' AND COALESCE(credentials_rotated_at, registered_at) < $1 ORDER BY cp_id";

    /**
     * What one run found and did.
     *
     * @param encryption    charge points whose active encryption key was older than {@code cutoff} when the run began
     * @param authorization charge points whose authorization key is older than {@code cutoff}
     * @param rotated       encryption keys this run rotated
     * @param skipped       encryption keys that were no longer old under the lock (another replica rotated them first)
     * @param failed        rotations that failed (retried by the next run)
     */
    public record KeyAgeReport(Instant cutoff, Duration maxAge, boolean autoRotate, List<String> encryption,
            List<String> authorization, List<String> rotated, List<String> skipped, List<String> failed) {

        /** Charge points whose encryption key is still over age after the run (the encryption gauge). */
        public long encryptionStillOverAge() {
            return encryption.size() - rotated.size() - skipped.size();
        }
    }

    private enum Rotation { ROTATED, SKIPPED, FAILED }

    private record Attempt(String cpId, Rotation outcome) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final EncryptionKeyService keys;
    private final SecurityConfig config;
    private final SecurityMetrics metrics;

    KeyAgeJob(Pool pool, Vertx vertx, EncryptionKeyService keys, SecurityConfig config, SecurityMetrics metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.keys = keys;
        this.config = config;
        this.metrics = metrics;
    }

    /** Report only (never rotates), so the gauges are right soon after start-up; a failure is only logged. */
    void onStart(@Observes StartupEvent event) {
        if (!config.keyAge().enabled()) {
            Log.info("Key-age job disabled (evpower.security.key-age.enabled=false)");
            return;
        }
        // in the background: start-up does not wait for it
        run(false).subscribe().with(report -> { }, failure -> Log.warnf(
                "Key-age report at start-up failed (the daily run retries): %s", failure.getClass().getSimpleName()));
    }

    @Scheduled(identity = "key-age", cron = "${evpower.security.key-age.cron:0 15 3 * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.keyAge().enabled()) {
            return Uni.createFrom().voidItem();
        }
        return run().onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One run as configured ({@code evpower.security.key-age.auto-rotate}). */
    public Uni<KeyAgeReport> run() {
        return run(config.keyAge().autoRotate());
    }

    /** One run; {@code autoRotate} says whether encryption keys over age are rotated. */
    public Uni<KeyAgeReport> run(boolean autoRotate) {
        Duration maxAge = config.keyAge().maxAge();
        Instant cutoff = Instant.now().minus(maxAge);
        OffsetDateTime at = cutoff.atOffset(ZoneOffset.UTC);
        return ids(ENCRYPTION_OVER_AGE, at).chain(encryption -> ids(AUTHORIZATION_OVER_AGE, at).chain(authorization -> {
            Uni<List<Attempt>> attempts = autoRotate ? rotateAll(encryption, cutoff, maxAge)
                    : Uni.createFrom().item(List.<Attempt> of());
            return attempts.map(done -> new KeyAgeReport(cutoff, maxAge, autoRotate, encryption, authorization,
                    pick(done, Rotation.ROTATED), pick(done, Rotation.SKIPPED), pick(done, Rotation.FAILED)));
        })).invoke(report -> {
            metrics.keysOverAge(SecurityMetrics.KEY_ENCRYPTION, report.encryptionStillOverAge());
            metrics.keysOverAge(SecurityMetrics.KEY_AUTHORIZATION, report.authorization().size());
            metrics.jobRun(SecurityMetrics.JOB_KEY_AGE, report.failed().isEmpty());
            if (report.encryptionStillOverAge() > 0 || !report.authorization().isEmpty()) {
                Log.warn(describe(report));
            } else {
                Log.info(describe(report));
            }
        }).onFailure().invoke(e -> {
            metrics.jobRun(SecurityMetrics.JOB_KEY_AGE, false);
            Log.errorf("Key-age run failed: %s", e.getClass().getSimpleName());
        });
    }

    private Uni<List<String>> ids(String sql, OffsetDateTime cutoff) {
        return pool.preparedQuery(sql).execute(Tuple.of(cutoff)).map(rows -> {
            List<String> ids = new ArrayList<>();
            for (Row row : rows) {
                ids.add(row.getString(0));
            }
            return List.copyOf(ids);
        });
    }

    /** One charge point after the other, each in its own transaction on its own context; a failure does not stop it. */
    private Uni<List<Attempt>> rotateAll(List<String> cpIds, Instant cutoff, Duration maxAge) {
        String why = "key older than " + human(maxAge) + " (key-age job)";
        Caller caller = new Caller(ACTOR, null);
        return Multi.createFrom().iterable(cpIds)
                .onItem().transformToUniAndConcatenate(cpId -> onNewContext(
                        () -> keys.rotateIfOlderThan(cpId, cutoff, why, caller))
                        .map(change -> new Attempt(cpId, change == null ? Rotation.SKIPPED : Rotation.ROTATED))
                        .onFailure().recoverWithItem(e -> {
                            // The class only: a database error's detail could quote a row.
                            Log.errorf("Key-age rotation of %s failed (retried next run): %s", cpId,
                                    e.getClass().getSimpleName());
                            return new Attempt(cpId, Rotation.FAILED);
                        }))
                .collect().asList();
    }

    /** Hibernate Reactive needs a safe duplicated context; the scheduler and a test thread do not always give one. */
    private <T> Uni<T> onNewContext(Supplier<Uni<T>> work) {
        return NewContext.run(vertx.getDelegate(), work);
    }

    private static List<String> pick(List<Attempt> attempts, Rotation outcome) {
        return attempts.stream().filter(a -> a.outcome() == outcome).map(Attempt::cpId).toList();
    }

    static String describe(KeyAgeReport report) {
        StringBuilder line = new StringBuilder("Key age (max ").append(human(report.maxAge())).append("): ")
                .append(report.encryption().size()).append(" charge point(s) with an encryption key over age")
                .append(listed(report.encryption()));
        if (report.autoRotate() && !report.encryption().isEmpty()) {
            line.append(", rotated ").append(report.rotated().size()).append(listed(report.rotated()));
            if (!report.skipped().isEmpty()) {
                line.append(", already rotated by another replica ").append(report.skipped().size());
            }
            if (!report.failed().isEmpty()) {
                line.append(", rotation failed for ").append(report.failed().size()).append(listed(report.failed()));
            }
        } else if (!report.encryption().isEmpty()) {
            line.append(" (auto-rotate off: POST /keys/reset)");
        }
        line.append("; ").append(report.authorization().size())
                .append(" with an authorization key over age").append(listed(report.authorization()));
        if (!report.authorization().isEmpty()) {
            line.append(" (never rotated automatically: POST /admin/charge-points/{cp_id}/rotate-authorization-key"
                    + " and configure the station)");
        }
        return line.toString();
    }

    /** Whole days as {@code 90d}, anything else as ISO-8601. */
    static String human(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 ? duration.toDays() + "d" : duration.toString();
    }

    /** {@code " [a, b, c]"}, at most {@link #LOGGED_IDS} ids and then {@code " and N more"}; empty for none. */
    static String listed(List<String> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        String shown = " [" + String.join(", ", ids.subList(0, Math.min(ids.size(), LOGGED_IDS))) + "]";
        return ids.size() > LOGGED_IDS ? shown + " and " + (ids.size() - LOGGED_IDS) + " more" : shown;
    }
}
