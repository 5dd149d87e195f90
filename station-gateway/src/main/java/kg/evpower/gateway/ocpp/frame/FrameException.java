package kg.evpower.gateway.ocpp.frame;

/** A text frame that is not a valid OCPP-J message; {@code messageId} is the id when it could be read, else null. */
public final class FrameException extends RuntimeException {

    private final String messageId;
    private final transient OcppCallException error;

    FrameException(String messageId, OcppCallException error) {
        super(error.getMessage(), null, false, false);
        this.messageId = messageId;
        this.error = error;
    }

    public String messageId() {
        return messageId;
    }

    public OcppCallException error() {
        return error;
    }
}
