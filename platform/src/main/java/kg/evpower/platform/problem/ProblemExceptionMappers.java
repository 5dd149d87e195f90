package kg.evpower.platform.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.CompositeException;

/**
 * Turns every failure of a REST call into an RFC 9457 problem body. Nothing of the exception (class names, messages of
 * libraries, stack traces) reaches the body unless it is a {@link ProblemException} written for the caller.
 */
public class ProblemExceptionMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Problems.response(Problems.of(e.status(), e.code(), e.title(), e.getMessage(), e.errors()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original != null ? original.getStatus() : 500;
        if (status >= 500) {
            return internal(e);
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return malformed(json);
            }
        }
        Response.ResponseBuilder builder = Response.fromResponse(Problems.response(status, Problems.codeOf(status),
                Problems.titleOf(status), detailOf(status)));
        if (original != null && original.getHeaderString(HttpHeaders.ALLOW) != null) {
            builder.header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        return violations(e);
    }

    @ServerExceptionMapper
    public Response restViolation(ResteasyReactiveViolationException e) {
        return violations(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable cause = e.getCauses().isEmpty() ? e : e.getCauses().get(0);
        return switch (cause) {
            case ProblemException p -> problem(p);
            case WebApplicationException w -> webApplication(w);
            case ConstraintViolationException c -> violations(c);
            case JsonProcessingException j -> malformed(j);
            default -> internal(cause);
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (e instanceof CompositeException composite) {
            return composite(composite);
        }
        return internal(e);
    }

    private static Response internal(Throwable e) {
        Log.errorf(e, "Unhandled failure of a request");
        return Problems.response(500, "INTERNAL_ERROR", "Internal server error",
                "The request could not be completed; quote the correlation id when reporting it.");
    }

    private static Response malformed(JsonProcessingException e) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            errors.add(new Problem.FieldError(pathOf(mapping.getPath()), "has a value of the wrong type or form"));
        }
        return Problems.response(Problems.of(400, "MALFORMED_JSON", "Malformed request body",
                "The request body is not valid JSON of the expected form.", errors));
    }

    private static Response violations(ConstraintViolationException e) {
        boolean returnValue = e.getConstraintViolations().stream()
                .anyMatch(v -> v.getPropertyPath().toString().contains("<return value>"));
        if (returnValue) {
            return internal(e);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problems.response(Problems.of(400, "VALIDATION_FAILED", "Validation failed",
                "One or more fields are invalid.", errors));
    }

    private static String fieldOf(ConstraintViolation<?> violation) {
        // The path of a REST parameter starts with the method and parameter name; keep what a caller sees.
        List<String> parts = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER && violation.getPropertyPath().toString().split("\\.").length > 2) {
                continue;
            }
            parts.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
        }
        return String.join(".", parts.stream().filter(p -> p != null && !p.isBlank()).toList());
    }

    private static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String detailOf(int status) {
        return switch (status) {
            case 404 -> "No resource exists at this path.";
            case 405 -> "This resource does not accept the request method.";
            case 406 -> "This resource cannot produce the requested media type.";
            case 415 -> "This resource does not accept the request's media type.";
            case 401 -> "Authentication is required.";
            case 403 -> "The credentials do not allow this request.";
            default -> "The request cannot be processed.";
        };
    }
}
