package kg.evpower.charging.client;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;

/**
 * Calls to payment-service with fault tolerance. Every money-moving call carries an idempotency key derived from the
 * session, so a retry (or a redelivered event) moves money once; that is what makes retrying them safe.
 */
@ApplicationScoped
public class PaymentClient {

    static final String SERVICE = "payment-service";

    private final PaymentApi api;
    private final ObjectMapper mapper;

    PaymentClient(@RestClient PaymentApi api, ObjectMapper mapper) {
        this.api = api;
        this.mapper = mapper;
    }

    public record Wallet(long balance, long held, long available) {
    }

    /** Either {@code holdId} is set, or the wallet lacked {@code available} tyiyn. */
    public record HoldResult(String holdId, long amount, boolean insufficient, long available) {
    }

    /** {@code done} false when the hold was not open any more (already captured or released). */
    public record Settlement(boolean done, String code, long captured, long released, long receivable) {
    }

    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("payment-wallet")
    public Uni<Wallet> wallet(String clientId) {
        return api.wallet(clientId).map(r -> Answer.of(r, mapper, SERVICE)).map(a -> {
            if (a.status() == 404) {
                return new Wallet(0, 0, 0);
            }
            if (!a.ok()) {
                throw new UpstreamException(SERVICE, "wallet read answered HTTP " + a.status());
            }
            return new Wallet(a.number("balance"), a.number("held"), a.number("available"));
        });
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("payment-place-hold")
    public Uni<HoldResult> placeHold(String clientId, String sessionId, long amount) {
        return api.placeHold(clientId, Map.of("sessionId", sessionId, "amount", amount,
                        "idempotencyKey", "hold:" + sessionId))
                .map(r -> Answer.of(r, mapper, SERVICE)).map(a -> {
                    if (a.ok()) {
                        return new HoldResult(a.text("holdId"), a.number("amount"), false, 0);
                    }
                    if (a.status() == 409 && "INSUFFICIENT_BALANCE".equals(a.code())) {
                        return new HoldResult(null, 0, true, a.number("available"));
                    }
                    throw new UpstreamException(SERVICE, "hold answered HTTP " + a.status() + " " + a.code());
                });
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("payment-capture")
    public Uni<Settlement> capture(String holdId, String sessionId, long amount) {
        return api.capture(holdId, Map.of("amount", amount, "idempotencyKey", "capture:" + sessionId))
                .map(r -> Answer.of(r, mapper, SERVICE)).map(a -> {
                    if (a.ok()) {
                        return new Settlement(true, null, a.number("captured"), a.number("released"),
                                a.number("receivable"));
                    }
                    if (a.status() == 404 || a.status() == 409) {
                        return new Settlement(false, a.code(), 0, 0, 0);
                    }
                    throw new UpstreamException(SERVICE, "capture answered HTTP " + a.status() + " " + a.code());
                });
    }

    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10000)
    @CircuitBreakerName("payment-release")
    public Uni<Settlement> release(String holdId, String sessionId) {
        return api.release(holdId, Map.of("idempotencyKey", "release:" + sessionId))
                .map(r -> Answer.of(r, mapper, SERVICE)).map(a -> {
                    if (a.ok()) {
                        return new Settlement(true, null, 0, a.number("released"), 0);
                    }
                    if (a.status() == 404 || a.status() == 409) {
                        return new Settlement(false, a.code(), 0, 0, 0);
                    }
                    throw new UpstreamException(SERVICE, "release answered HTTP " + a.status() + " " + a.code());
                });
    }
}
