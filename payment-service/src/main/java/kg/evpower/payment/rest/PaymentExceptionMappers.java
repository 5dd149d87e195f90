package kg.evpower.payment.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import kg.evpower.payment.service.InsufficientBalanceException;
import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.Problems;

/** Problem bodies this service adds to the platform's: INSUFFICIENT_BALANCE carries {@code available}. */
public class PaymentExceptionMappers {

    @ServerExceptionMapper
    public Response insufficientBalance(InsufficientBalanceException e) {
        Problem p = Problems.of(e.status(), e.code(), e.title(), e.getMessage(), List.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("code", p.code());
        body.put("correlationId", p.correlationId());
        body.put("errors", p.errors());
        body.put("available", e.available());
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
