package kg.evpower.platform.problem;

import java.util.List;

import jakarta.ws.rs.core.Response;

import kg.evpower.platform.correlation.CorrelationId;

/** The one place problem bodies and responses are built. */
public final class Problems {

    private Problems() {
    }

    public static Problem of(int status, String code, String title, String detail, List<Problem.FieldError> errors) {
        return new Problem(Problem.typeOf(code), title, status, detail, code, CorrelationId.current(), errors);
    }

    public static Response response(int status, String code, String title, String detail) {
        return response(of(status, code, title, detail, List.of()));
    }

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The machine code and title used for an HTTP status when nothing more specific is known. */
    public static String codeOf(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 409 -> "CONFLICT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 429 -> "TOO_MANY_REQUESTS";
            case 503 -> "SERVICE_UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
    }

    public static String titleOf(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : (status >= 500 ? "Server error" : "Client error");
    }
}
