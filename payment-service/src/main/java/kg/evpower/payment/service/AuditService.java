package kg.evpower.payment.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.platform.correlation.CorrelationId;

/**
 * Payment audit rows for every provider request/response and webhook, written on their own connection (autocommit) so
 * they survive a rolled-back business transaction. Callers pass masked text: no secrets, hashes or card data.
 */
@ApplicationScoped
public class AuditService {

    private static final int MAX_TEXT = 8000;

    private final Pool pool;

    AuditService(Pool pool) {
        this.pool = pool;
    }

    public record Entry(String provider, String direction, String operation, String invoiceId, String clientId,
            String sourceIp, String request, String response, String outcome) {
    }

    /** Records the entry; a failure to audit is logged and never fails the payment flow. */
    public Uni<Void> record(Entry e) {
        return pool.preparedQuery("INSERT INTO payment_audit (provider, direction, operation, invoice_id, client_id, source_ip, "
                        + "request, response, outcome, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(Tuple.from(new Object[] {e.provider(), e.direction(), e.operation(), e.invoiceId(), e.clientId(),
                        e.sourceIp(), cut(e.request()), cut(e.response()), e.outcome(), CorrelationId.current()}))
                .replaceWithVoid()
                .onFailure().invoke(f -> Log.errorf(f, "payment audit row not written (%s %s)", e.operation(), e.invoiceId()))
                .onFailure().recoverWithNull();
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
