package kg.evpower.gateway.ocpp.frame;

/** The CallError codes of OCPP-J 1.6 (section 4.2.3); the spelling of {@code OccurenceConstraintViolation} is the spec's. */
public enum CallErrorCode {
    NotImplemented,
    NotSupported,
    InternalError,
    ProtocolError,
    SecurityError,
    FormationViolation,
    PropertyConstraintViolation,
    OccurenceConstraintViolation,
    TypeConstraintViolation,
    GenericError;

    /** The code named {@code value}, or {@code GenericError} for anything a peer invents. */
    public static CallErrorCode parse(String value) {
        for (CallErrorCode code : values()) {
            if (code.name().equals(value)) {
                return code;
            }
        }
        return GenericError;
    }
}
