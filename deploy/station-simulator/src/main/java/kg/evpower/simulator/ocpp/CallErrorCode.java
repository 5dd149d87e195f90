package kg.evpower.simulator.ocpp;

/** The ten CALLERROR codes of OCPP-J 1.6 (section 4.2.3). */
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
    GenericError
}
