package kg.evpower.security.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.security.domain.AuditEvent;
import kg.evpower.security.domain.ChargePointStatus;

/**
 * A station's credential check, the hottest path of the service (every first connection of a station), on the plain
 * reactive SQL client: one prepared statement to read, one autocommitted statement to write, no Hibernate Reactive
 * session or transaction round trips (issue 9). Everything else about charge points stays in
 * {@link ChargePointRepository}.
 */
@ApplicationScoped
public class StationAuthRepository {

    /** What a credential check needs of a charge point (its hash never leaves the service). */
    public record StoredCredential(ChargePointStatus status, int tokenVersion, String credentialHash) {
    }

    private static final String FIND = "SELECT status, token_version, credential_hash FROM charge_point WHERE cp_id = $1";

    private static final String AUDIT_INSERT = "INSERT INTO audit_event (occurred_at, actor, source_address, action, outcome,"
            + " severity, cp_id, reason, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    /** One statement, so one commit: the charge point's last authentication and its audit row, both or neither. */
    private static final String AUTHENTICATED = "WITH authenticated AS (UPDATE charge_point SET last_authenticated_at = $1"
            + " WHERE cp_id = $10) " + AUDIT_INSERT;

    private final Pool pool;

    StationAuthRepository(Pool pool) {
        this.pool = pool;
    }

    /** The charge point's status, token version and credential hash; null when there is no such charge point. */
    public Uni<StoredCredential> find(String cpId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(cpId)).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return null;
            }
            Row r = it.next();
            return new StoredCredential(ChargePointStatus.valueOf(r.getString("status")), r.getInteger("token_version"),
                    r.getString("credential_hash"));
        });
    }

    /** Sets {@code last_authenticated_at} to the audit row's time and inserts the row, in one autocommitted statement. */
    public Uni<Void> authenticated(String cpId, AuditEvent audit) {
        return pool.preparedQuery(AUTHENTICATED).execute(auditValues(audit).addString(cpId)).replaceWithVoid();
    }

    /** Inserts the audit row alone (a check that changes nothing else). */
    public Uni<Void> audit(AuditEvent audit) {
        return pool.preparedQuery(AUDIT_INSERT).execute(auditValues(audit)).replaceWithVoid();
    }

    /** $1..$9 of {@link #AUDIT_INSERT}, from a row made by {@code AuditService.row}. */
    private static Tuple auditValues(AuditEvent a) {
        return Tuple.tuple()
                .addOffsetDateTime(OffsetDateTime.ofInstant(a.occurredAt, ZoneOffset.UTC))
                .addString(a.actor)
                .addString(a.sourceAddress)
                .addString(a.action)
                .addString(a.outcome)
                .addString(a.severity)
                .addString(a.cpId)
                .addString(a.reason)
                .addString(a.correlationId);
    }
}
