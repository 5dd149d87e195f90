package kg.evpower.gateway.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.gateway.ocpp.message.IdTagInfo;

/** The id tags the gateway answers Authorize and StartTransaction with; charging-service manages them. */
@ApplicationScoped
public class IdTagService {

    public record IdTag(String idTag, String status, Instant expiryDate, String parentIdTag, String clientId,
            Instant updatedAt) {
    }

    private final Pool pool;

    IdTagService(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<IdTag>> find(String idTag) {
        return pool.preparedQuery("SELECT * FROM id_tag WHERE id_tag = $1").execute(Tuple.of(idTag))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toIdTag(rows.iterator().next())));
    }

    public Uni<IdTag> put(String idTag, String status, Instant expiryDate, String parentIdTag, String clientId) {
        return pool.preparedQuery("""
                INSERT INTO id_tag (id_tag, status, expiry_date, parent_id_tag, client_id, updated_at)
                VALUES ($1, $2, $3, $4, $5, now())
                ON CONFLICT (id_tag) DO UPDATE SET status = excluded.status, expiry_date = excluded.expiry_date,
                    parent_id_tag = excluded.parent_id_tag, client_id = excluded.client_id, updated_at = now()
                RETURNING *""")
                .execute(Tuple.tuple().addString(idTag).addString(status).addOffsetDateTime(utc(expiryDate))
                        .addString(parentIdTag).addString(clientId))
                .map(rows -> toIdTag(rows.iterator().next()));
    }

    public Uni<Boolean> delete(String idTag) {
        return pool.preparedQuery("DELETE FROM id_tag WHERE id_tag = $1").execute(Tuple.of(idTag))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Authorize semantics of OCPP 1.6: unknown → Invalid, past expiry → Expired, else the stored status. */
    public Uni<IdTagInfo> authorize(String idTag) {
        return Uni.createFrom().completionStage(() -> authorization(idTag).toCompletionStage());
    }

    /** {@link #authorize} on plain Vert.x, for the station messages answered without Mutiny. */
    public Future<IdTagInfo> authorization(String idTag) {
        return pool.getDelegate().preparedQuery("SELECT status, expiry_date, parent_id_tag FROM id_tag WHERE id_tag = $1")
                .execute(io.vertx.sqlclient.Tuple.of(idTag)).map(rows -> {
                    if (rows.size() == 0) {
                        return IdTagInfo.invalid();
                    }
                    io.vertx.sqlclient.Row tag = rows.iterator().next();
                    OffsetDateTime expiry = tag.getOffsetDateTime(1);
                    Instant expiryDate = expiry == null ? null : expiry.toInstant();
                    if (expiryDate != null && expiryDate.isBefore(Instant.now())) {
                        return new IdTagInfo("Expired", expiryDate, tag.getString(2));
                    }
                    return new IdTagInfo(tag.getString(0), expiryDate, tag.getString(2));
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static IdTag toIdTag(Row row) {
        OffsetDateTime expiry = row.getOffsetDateTime("expiry_date");
        return new IdTag(row.getString("id_tag"), row.getString("status"), expiry == null ? null : expiry.toInstant(),
                row.getString("parent_id_tag"), row.getString("client_id"),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
