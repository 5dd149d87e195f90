package kg.evpower.security.event;

/** Events security-service publishes on {@value #STREAM} (subject = cpId); schemas in docs/events/security.*.json. */
public final class SecurityEvents {

    public static final String STREAM = "evpower.security.v1";

    public static final String REGISTERED = "security.charge-point.registered";
    public static final String STATUS_CHANGED = "security.charge-point.status-changed";
    public static final String DEREGISTERED = "security.charge-point.deregistered";
    public static final String CREDENTIALS_ROTATED = "security.credentials.rotated";
    public static final String KEY_ROTATED = "security.key.rotated";
    public static final String KEY_REVOKED = "security.key.revoked";

    private SecurityEvents() {
    }

    public record Registered(String cpId, String status) {
    }

    public record StatusChanged(String cpId, String status, String previousStatus, String reason) {
    }

    public record Deregistered(String cpId) {
    }

    public record CredentialsRotated(String cpId) {
    }

    /** A new active key version ({@code previousVersion} null for the first key of a charge point). */
    public record KeyRotated(String cpId, int version, Integer previousVersion) {
    }

    public record KeyRevoked(String cpId, int version) {
    }
}
