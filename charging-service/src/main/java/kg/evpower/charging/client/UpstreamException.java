package kg.evpower.charging.client;

/** Another service failed (5xx, unreadable answer, refused connection): counted by the circuit breakers. */
public class UpstreamException extends RuntimeException {

    private final String service;

    public UpstreamException(String service, String message) {
        super(service + ": " + message, null, false, false);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
