package kg.evpower.payment.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import kg.evpower.payment.client.OdengiClient;
import kg.evpower.platform.correlation.CorrelationId;

/** The mobile API's error shape {@code {success:false, error, message}} (seed-contracts A1), with real HTTP statuses. */
public class MobileExceptionMappers {

    static Response body(int status, String error, String message, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        body.put("message", message);
        body.putAll(extra);
        body.put("correlation_id", CorrelationId.current());
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    @ServerExceptionMapper
    public Response mobile(MobileException e) {
        return body(e.status(), e.error(), e.getMessage(), e.extra());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return body(401, "unauthorized", "A valid access token is required.", Map.of());
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return body(401, "unauthorized", "A valid access token is required.", Map.of());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, "forbidden", "This resource belongs to another client.", Map.of());
    }

    @ServerExceptionMapper
    public Response providerRejected(OdengiClient.OdengiRejected e) {
        return body(502, "payment_provider_error", "The payment provider refused the request.", Map.of());
    }
}
