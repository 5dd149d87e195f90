package kg.evpower.gateway.ocpp.session;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

/** The stations whose socket lives on this replica. */
@ApplicationScoped
public class SessionRegistry {

    private final ConcurrentMap<String, StationSession> sessions = new ConcurrentHashMap<>();

    /** Makes {@code session} the station's session; returns the one it replaces, if any. */
    public Optional<StationSession> register(StationSession session) {
        return Optional.ofNullable(sessions.put(session.chargePointId(), session));
    }

    /** Removes {@code session} if it is still the station's current one; true when it was. */
    public boolean unregister(StationSession session) {
        return sessions.remove(session.chargePointId(), session);
    }

    public Optional<StationSession> find(String chargePointId) {
        return Optional.ofNullable(sessions.get(chargePointId));
    }

    public boolean isCurrent(StationSession session) {
        return sessions.get(session.chargePointId()) == session;
    }

    public Collection<StationSession> all() {
        return sessions.values();
    }
}
