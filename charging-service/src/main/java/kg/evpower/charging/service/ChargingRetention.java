package kg.evpower.charging.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.retention.TableRetention;

/**
 * What charging-service forgets and when; the platform's {@code RetentionJob} runs these rules hourly on every replica
 * (batched, SKIP LOCKED) and logs one line per run. Charging sessions are billing history and are never removed.
 */
@ApplicationScoped
public class ChargingRetention {

    /**
     * Start/stop idempotency keys with their stored answers, 7 days by default. The keep is
     * {@code evpower.retention.idempotency_key.keep}, else the older {@code evpower.charging.jobs.idempotency-retention}.
     */
    @Produces
    @ApplicationScoped
    RetentionRule idempotencyKeys(ChargingConfig config) {
        return TableRetention.of("idempotency_key", "created_at", config.jobs().idempotencyRetention());
    }
}
