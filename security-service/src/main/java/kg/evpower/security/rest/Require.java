package kg.evpower.security.rest;

import java.util.List;

import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.ProblemException;

/** Request checks that answer 400 VALIDATION_FAILED naming the field (snake_case as the caller sent it). */
final class Require {

    private Require() {
    }

    static <T> T body(T body) {
        if (body == null) {
            throw new ProblemException(400, "VALIDATION_FAILED", "Bad request", "A JSON body is required");
        }
        return body;
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        return value;
    }

    static String optionalText(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw invalid(field, "must be at most " + max + " characters");
        }
        return value == null || value.isBlank() ? null : value;
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "VALIDATION_FAILED", "Bad request", field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
