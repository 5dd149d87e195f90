package kg.evpower.platform.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import kg.evpower.platform.correlation.CorrelationId;

/**
 * Answers a request that no route serves (and failures Vert.x raises before any resource runs, such as an oversized
 * body) with a problem body instead of the HTTP server's plain text.
 */
@ApplicationScoped
public class UnmatchedRouteHandler {

    private final ObjectMapper mapper;

    UnmatchedRouteHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(ctx -> write(ctx, 404));
        router.route().order(Integer.MAX_VALUE).failureHandler(this::onFailure);
    }

    private void onFailure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        write(ctx, status);
    }

    private void write(RoutingContext ctx, int status) {
        if (ctx.response().headWritten()) {
            ctx.response().end();
            return;
        }
        String correlationId = ctx.request().getHeader(CorrelationId.HEADER);
        if (!CorrelationId.isAcceptable(correlationId)) {
            correlationId = CorrelationId.generate();
        }
        String detail = status == 404 ? "No resource exists at this path."
                : status == 413 ? "The request body is larger than this service accepts."
                : status >= 500 ? "The request could not be completed; quote the correlation id when reporting it."
                : "The request cannot be processed.";
        Problem problem = new Problem(Problem.typeOf(Problems.codeOf(status)), Problems.titleOf(status), status, detail,
                Problems.codeOf(status), correlationId, java.util.List.of());
        try {
            ctx.response().setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(CorrelationId.HEADER, correlationId)
                    .end(mapper.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
