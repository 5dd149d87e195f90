package kg.evpower.gateway.ocpp.frame;

/**
 * A station CALL the central system answers with a CALLERROR. Built only by {@link CallErrors}; the description is sent
 * to the station, so it names the field and the rule, never internal details.
 */
public final class OcppCallException extends RuntimeException {

    private final CallErrorCode code;

    OcppCallException(CallErrorCode code, String description) {
        super(description, null, false, false);
        this.code = code;
    }

    public CallErrorCode code() {
        return code;
    }

    public String description() {
        return getMessage();
    }
}
