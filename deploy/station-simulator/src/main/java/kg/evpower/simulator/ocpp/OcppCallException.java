package kg.evpower.simulator.ocpp;

/** Thrown by a command handler to answer a CALL with a CALLERROR. */
public final class OcppCallException extends RuntimeException {
    private final CallErrorCode code;

    public OcppCallException(CallErrorCode code, String description) {
        super(description, null, false, false);
        this.code = code;
    }

    public CallErrorCode code() {
        return code;
    }
}
