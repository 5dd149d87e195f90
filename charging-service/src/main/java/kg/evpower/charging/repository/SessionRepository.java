package kg.evpower.charging.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;


import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.domain.ChargingSession;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<ChargingSession, UUID> {

    private static final String OPEN = "status in ('PENDING', 'STARTING', 'CHARGING', 'STOPPING')";

    /** The session row locked for update until the transaction ends. */
    public Uni<ChargingSession> lock(UUID id) {
        return findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<ChargingSession> lockByTransaction(String stationId, int transactionId) {
        return find("stationId = ?1 and transactionId = ?2", stationId, transactionId)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<ChargingSession> lockByIdTag(String idTag) {
        // only app sessions: their tag is theirs alone; an RFID tag is shared by all sessions of its card
        return find("idTag = ?1 and origin = 'app'", idTag).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Records the payment hold of a start, in one statement (no row read first). */
    public Uni<Integer> setHold(UUID id, String holdId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "UPDATE charging_session SET hold_id = ?2, updated_at = now() WHERE id = ?1")
                .setParameter(1, id).setParameter(2, holdId).executeUpdate());
    }

    /**
     * PENDING → STARTING once the station accepted the RemoteStart, in one statement; a session the station's
     * StartTransaction already linked (or that was closed meanwhile) is left as it is. Gives the rows changed (0 or 1).
     */
    public Uni<Integer> markStarting(UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "UPDATE charging_session SET status = 'STARTING', updated_at = now() WHERE id = ?1 AND status = 'PENDING'")
                .setParameter(1, id).executeUpdate());
    }

    public Uni<ChargingSession> openOfClient(String clientId) {
        return find("clientId = ?1 and " + OPEN, clientId).firstResult();
    }

    public Uni<ChargingSession> openOnConnector(String stationId, int connectorId) {
        return find("stationId = ?1 and connectorId = ?2 and " + OPEN, stationId, connectorId).firstResult();
    }

    /** Claims up to {@code limit} rows matching {@code where}; rows other replicas hold are skipped (SKIP LOCKED). */
    public Uni<List<ChargingSession>> claim(String where, int limit) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT * FROM charging_session WHERE " + where
                        + " ORDER BY created_at LIMIT " + limit + " FOR UPDATE SKIP LOCKED", ChargingSession.class)
                .getResultList());
    }
}
