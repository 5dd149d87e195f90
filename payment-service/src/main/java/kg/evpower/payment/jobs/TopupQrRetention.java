package kg.evpower.payment.jobs;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.retention.RetentionRule;

/**
 * Clears the QR payload ({@code qr_code}) of top-ups that closed CANCELED, EXPIRED or FAILED without a credit, once
 * they closed ({@code completed_at}) longer ago than the keep. The row itself stays: it is the history of the invoice,
 * and a late payment the provider confirms still turns it APPROVED and is credited (that needs no QR). APPROVED top-ups
 * are never touched. Counts cleared payloads as removed rows. Batched with {@code FOR UPDATE SKIP LOCKED}, so replicas
 * share the work and a top-up locked by a status change is left for the next run.
 *
 * @param defaultKeep how long after closing the payload is kept unless {@code evpower.retention.topup_qr_code.keep} says otherwise
 */
public record TopupQrRetention(Duration defaultKeep) implements RetentionRule {

    static final String CLOSED_UNCREDITED = "status IN ('CANCELED', 'EXPIRED', 'FAILED') AND credited_entry_id IS NULL";

    /** {@code $1} the cutoff, {@code $2} the batch size; empty payloads are not counted again. */
    static final String CLEAR_SQL = "UPDATE topup SET qr_code = NULL WHERE id = ANY(ARRAY(SELECT id FROM topup WHERE "
            + CLOSED_UNCREDITED + " AND qr_code <> '' AND completed_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)) AND "
            + CLOSED_UNCREDITED;

    @Override
    public String name() {
        return "topup_qr_code";
    }

    @Override
    public Uni<Long> purge(Pool pool, OffsetDateTime cutoff, int batchSize) {
        return pool.preparedQuery(CLEAR_SQL).execute(Tuple.of(cutoff, batchSize))
                .map(rows -> (long) rows.rowCount())
                .chain(cleared -> cleared < batchSize ? Uni.createFrom().item(cleared)
                        : purge(pool, cutoff, batchSize).map(more -> cleared + more));
    }
}
