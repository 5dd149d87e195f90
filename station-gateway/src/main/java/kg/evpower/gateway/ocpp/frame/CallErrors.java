package kg.evpower.gateway.ocpp.frame;

/** The one place CALLERRORs are made (STYLE.md, "Errors"). */
public final class CallErrors {

    private CallErrors() {
    }

    public static OcppCallException of(CallErrorCode code, String description) {
        return new OcppCallException(code, description);
    }

    public static OcppCallException notImplemented(String action) {
        return of(CallErrorCode.NotImplemented, "Unknown action " + truncate(action));
    }

    public static OcppCallException notSupported(String action) {
        return of(CallErrorCode.NotSupported, "Action " + truncate(action) + " is not supported by this central system");
    }

    public static OcppCallException formation(String description) {
        return of(CallErrorCode.FormationViolation, description);
    }

    public static OcppCallException protocol(String description) {
        return of(CallErrorCode.ProtocolError, description);
    }

    public static OcppCallException occurrence(String path) {
        return of(CallErrorCode.OccurenceConstraintViolation, "Required field " + path + " is missing");
    }

    public static OcppCallException type(String path, String expected) {
        return of(CallErrorCode.TypeConstraintViolation, "Field " + path + " must be " + expected);
    }

    public static OcppCallException property(String path, String rule) {
        return of(CallErrorCode.PropertyConstraintViolation, "Field " + path + " " + rule);
    }

    public static OcppCallException internal() {
        return of(CallErrorCode.InternalError, "The central system could not process the message");
    }

    /** A CALLERROR frame answering {@code messageId} with {@code error}. */
    public static OcppFrame.CallError frame(String messageId, OcppCallException error) {
        return new OcppFrame.CallError(messageId, error.code().name(), error.description(), null);
    }

    static String truncate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
