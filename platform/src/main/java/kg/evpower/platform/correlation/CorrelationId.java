package kg.evpower.platform.correlation;

import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.MDC;

/**
 * The correlation id of the work in progress. It lives in the logging MDC, which Quarkus keeps in the Vert.x duplicated
 * context, so it follows a request (or a consumed event) through its whole reactive chain.
 */
public final class CorrelationId {

    public static final String HEADER = "X-Correlation-ID";
    public static final String MDC_KEY = "correlationId";

    /** What a caller-supplied id may look like; anything else is replaced, so logs cannot be forged through it. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private CorrelationId() {
    }

    /** The id of the current work, or {@code null} outside of any. */
    public static String current() {
        Object value = MDC.get(MDC_KEY);
        return value == null ? null : value.toString();
    }

    /** The id of the current work, or a new one (set as current) when there is none. */
    public static String currentOrNew() {
        String id = current();
        if (id == null) {
            id = generate();
            set(id);
        }
        return id;
    }

    /** Makes {@code candidate} the current id when it is acceptable, else a new one; returns the id in force. */
    public static String adopt(String candidate) {
        String id = isAcceptable(candidate) ? candidate : generate();
        set(id);
        return id;
    }

    public static void set(String id) {
        MDC.put(MDC_KEY, id);
    }

    public static void clear() {
        MDC.remove(MDC_KEY);
    }

    public static boolean isAcceptable(String candidate) {
        return candidate != null && ACCEPTED.matcher(candidate).matches();
    }

    public static String generate() {
        return UUID.randomUUID().toString();
    }
}
