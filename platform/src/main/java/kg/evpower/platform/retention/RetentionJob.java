package kg.evpower.platform.retention;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.Config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Runs every {@link RetentionRule} of the service on a schedule ({@code evpower.retention.every}, default hourly),
 * one rule after the other, and logs one line per run with what each rule removed. Replica-safe: the rules delete by
 * age with {@code SKIP LOCKED}, so replicas running at once share the rows.
 * <p>
 * Meters: {@code evpower_retention_removed_rows_total{rule}} and {@code evpower_job_runs_total{job="retention",outcome}}.
 */
@ApplicationScoped
public class RetentionJob {

    public static final String JOB = "retention";

    private final Instance<RetentionRule> rules;
    private final Pool pool;
    private final Config config;
    private final MeterRegistry registry;
    private final Map<String, Counter> removed = new ConcurrentHashMap<>();
    private final Counter succeeded;
    private final Counter failed;

    RetentionJob(Instance<RetentionRule> rules, Pool pool, Config config, MeterRegistry registry) {
        this.rules = rules;
        this.pool = pool;
        this.config = config;
        this.registry = registry;
        this.succeeded = jobRuns(registry, "success");
        this.failed = jobRuns(registry, "failure");
    }

    private static Counter jobRuns(MeterRegistry registry, String outcome) {
        return Counter.builder("evpower.job.runs").description("Scheduled job runs by outcome")
                .tag("job", JOB).tag("outcome", outcome).register(registry);
    }

    /** Refuses to start with a keep below a rule's minimum; registers each rule's counter so it exists from start. */
    void validate(@Observes StartupEvent event) {
        for (RetentionRule rule : rules()) {
            checkKeep(rule, keep(rule));
            counter(rule.name());
        }
    }

    /** Fails when {@code keep} is shorter than what the rule must keep at least. */
    static void checkKeep(RetentionRule rule, Duration keep) {
        if (keep.isNegative() || keep.compareTo(rule.minimumKeep()) < 0) {
            throw new IllegalStateException("evpower.retention." + rule.name() + ".keep=" + keep
                    + " is below the minimum of " + rule.minimumKeep() + " for " + rule.name());
        }
    }

    @Scheduled(every = "${evpower.retention.every:1h}", delayed = "${evpower.retention.delay:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RetentionDisabled.class)
    Uni<Void> scheduled() {
        return runAll().onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass of every rule; rows removed per rule, in the order run. */
    public Uni<Map<String, Long>> runAll() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int batchSize = config.getOptionalValue("evpower.retention.batch-size", Integer.class).orElse(5000);
        Map<String, Long> result = new LinkedHashMap<>();
        return Multi.createFrom().iterable(rules())
                .onItem().transformToUniAndConcatenate(rule -> rule.purge(pool, now.minus(keep(rule)), batchSize)
                        .invoke(count -> {
                            result.put(rule.name(), count);
                            counter(rule.name()).increment(count);
                        }))
                .collect().last()
                .map(ignored -> result)
                .invoke(r -> {
                    succeeded.increment();
                    Log.infof("Retention removed %s", describe(r));
                })
                .onFailure().invoke(f -> {
                    failed.increment();
                    Log.errorf("Retention failed after %s: %s", describe(result), f.toString());
                });
    }

    /** How long the rule keeps rows: {@code evpower.retention.<name>.keep} or its default. */
    public Duration keep(RetentionRule rule) {
        return config.getOptionalValue("evpower.retention." + rule.name() + ".keep", Duration.class)
                .orElse(rule.defaultKeep());
    }

    private List<RetentionRule> rules() {
        List<RetentionRule> list = new ArrayList<>();
        rules.forEach(list::add);
        return list;
    }

    private Counter counter(String rule) {
        return removed.computeIfAbsent(rule, name -> Counter.builder("evpower.retention.removed.rows")
                .description("Rows removed by the retention job").tag("rule", name).register(registry));
    }

    private static String describe(Map<String, Long> removed) {
        if (removed.isEmpty()) {
            return "nothing (no rules)";
        }
        StringBuilder line = new StringBuilder();
        removed.forEach((rule, count) -> line.append(line.isEmpty() ? "" : ", ").append(rule).append('=').append(count));
        return line.toString();
    }

    /** Skips the scheduled runs where {@code evpower.retention.enabled=false}. */
    @ApplicationScoped
    public static class RetentionDisabled implements Scheduled.SkipPredicate {

        private final Config config;

        RetentionDisabled(Config config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.getOptionalValue("evpower.retention.enabled", Boolean.class).orElse(true);
        }
    }
}
