package kg.evpower.gateway.ocpp.handler;

import java.lang.reflect.Method;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.http.HttpServerRequest;

/**
 * Works around Quarkus 3.34's HTTP graceful shutdown counting an upgraded WebSocket request as in flight for ever (its
 * done handlers fire on response end or close, which an upgraded request never reaches): without this, a replica that
 * ever held a station socket waits the whole {@code quarkus.shutdown.timeout} after its sockets are closed. When the
 * socket closes, the upgrade request is marked done. Should Quarkus' internals change, this does nothing (logged once)
 * and shutdown falls back to the timeout.
 */
final class UpgradedRequest {

    private static final Method DONE = doneMethod();

    private UpgradedRequest() {
    }

    /** What to run once the socket upgraded from {@code request} has closed. */
    static Runnable doneAction(HttpServerRequest request) {
        QuarkusRequestWrapper wrapper = DONE == null ? null : QuarkusRequestWrapper.get(request);
        if (wrapper == null) {
            return () -> { };
        }
        return () -> {
            try {
                DONE.invoke(wrapper);
            } catch (ReflectiveOperationException | RuntimeException e) {
                Log.debugf("upgrade request not marked done: %s", e.toString());
            }
        };
    }

    private static Method doneMethod() {
        try {
            Method done = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            done.setAccessible(true);
            return done;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf("Shutdown will wait quarkus.shutdown.timeout for closed station sockets: %s", e.toString());
            return null;
        }
    }
}
