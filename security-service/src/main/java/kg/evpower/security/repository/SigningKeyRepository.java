package kg.evpower.security.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Token signing keys, through the reactive SQL client (they are read at start-up, outside any request, and never need an
 * outbox event). One ACTIVE key at a time (unique partial index); RETIRED keys verify until {@code verify_until}.
 */
@ApplicationScoped
public class SigningKeyRepository {

    public record StoredKey(String kid, String algorithm, String publicKey, String wrappedPrivateKey, String status,
            Instant createdAt, Instant verifyUntil) {
    }

    private static final String COLUMNS = "kid, algorithm, public_key, wrapped_private_key, status, created_at, verify_until";

    private final Pool pool;

    SigningKeyRepository(Pool pool) {
        this.pool = pool;
    }

    /** The active key and every retired key still verifying, newest first. */
    public Uni<List<StoredKey>> findVerifying() {
        return pool.query("SELECT " + COLUMNS + " FROM signing_key WHERE status = 'ACTIVE' OR verify_until > now()"
                + " ORDER BY created_at DESC").execute().map(rows -> {
                    List<StoredKey> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<List<StoredKey>> findAll() {
        return pool.query("SELECT " + COLUMNS + " FROM signing_key ORDER BY created_at DESC").execute().map(rows -> {
            List<StoredKey> out = new ArrayList<>();
            rows.forEach(r -> out.add(map(r)));
            return out;
        });
    }

    /** Inserts {@code key} as ACTIVE unless some key already is; whether it was inserted. */
    public Uni<Boolean> insertActiveIfNone(StoredKey key) {
        return pool.preparedQuery("INSERT INTO signing_key (kid, algorithm, public_key, wrapped_private_key, status, created_at)"
                + " VALUES ($1, $2, $3, $4, 'ACTIVE', now()) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(key.kid(), key.algorithm(), key.publicKey(), key.wrappedPrivateKey()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Retires the active key {@code expectedKid} (verifying for {@code overlap} more) and makes {@code next} active, in
     * one transaction; false (nothing changed) when {@code expectedKid} is no longer the active key.
     */
    public Uni<Boolean> rotate(String expectedKid, StoredKey next, Duration overlap) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE signing_key SET status = 'RETIRED', retired_at = now(),"
                + " verify_until = now() + make_interval(secs => $2) WHERE kid = $1 AND status = 'ACTIVE'")
                .execute(Tuple.of(expectedKid, (double) overlap.toSeconds()))
                .chain(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : conn.preparedQuery("INSERT INTO signing_key (kid, algorithm, public_key, wrapped_private_key,"
                                + " status, created_at) VALUES ($1, $2, $3, $4, 'ACTIVE', now())")
                                .execute(Tuple.of(next.kid(), next.algorithm(), next.publicKey(), next.wrappedPrivateKey()))
                                .map(inserted -> true)));
    }

    private static StoredKey map(Row r) {
        return new StoredKey(r.getString("kid"), r.getString("algorithm"), r.getString("public_key"),
                r.getString("wrapped_private_key"), r.getString("status"), instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("verify_until")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
