package kg.evpower.payment.rest;

import java.util.Map;

/** A refusal of the mobile API, answered as {@code {success:false, error, message}} with an HTTP status. */
public class MobileException extends RuntimeException {

    private final int status;
    private final String error;
    private final transient Map<String, Object> extra;

    public MobileException(int status, String error, String message) {
        this(status, error, message, Map.of());
    }

    public MobileException(int status, String error, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.extra = extra;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
