package kg.evpower.charging.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal in the app's own shape {@code {success:false, error, message, ...extra}} (A1, A3.1). Business refusals of
 * start/stop keep the app's HTTP 200; infrastructure failures are 503 and never stored as idempotent answers.
 */
public class AppError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    public AppError(int status, String code, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** A business refusal (HTTP 200, as the app expects). */
    public static AppError refuse(String code, String message) {
        return new AppError(200, code, message, null);
    }

    public static AppError refuse(String code, String message, Map<String, Object> extra) {
        return new AppError(200, code, message, extra);
    }

    public static AppError unavailable(String code, String message) {
        return new AppError(503, code, message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", code);
        body.put("message", getMessage());
        body.putAll(extra);
        return body;
    }
}
