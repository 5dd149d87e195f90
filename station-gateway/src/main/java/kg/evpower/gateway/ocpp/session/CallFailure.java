package kg.evpower.gateway.ocpp.session;

/** Why a central-system CALL got no answer. */
public final class CallFailure extends RuntimeException {

    public enum Reason { OFFLINE, TIMEOUT, QUEUE_FULL }

    private final Reason reason;

    public CallFailure(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
