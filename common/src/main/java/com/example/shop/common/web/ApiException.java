package com.example.shop.common.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A failure the client is told about as an RFC 9457 problem: its status, a one-line detail, and the
 * request fields it concerns. Thrown from services and clients; rendered by {@link ApiExceptionHandler}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    private final List<FieldProblem> errors;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public ApiException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    /** 404: no {@code resource} with this id. */
    public static ApiException notFound(String resource, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, resource + " " + id + " not found");
    }

    /** 400 for one field or parameter. */
    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, field + ": " + message, List.of(new FieldProblem(field, message)));
    }

    /** 403: the caller is known, but may not do this. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden: " + detail);
    }

    /** 403 for one field: its value names something the caller may not claim (someone else as owner). */
    public static ApiException forbidden(String field, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden: " + field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    /** 409 for one field, such as a unique value already taken. */
    public static ApiException conflict(String field, String message) {
        return new ApiException(HttpStatus.CONFLICT, field + ": " + message, List.of(new FieldProblem(field, message)));
    }

    /** 422: well-formed, but the field's value breaks a rule of the domain (a missing referenced document, a limit). */
    public static ApiException unprocessable(String field, String message) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    /** 503: a service this request depends on did not answer usefully; nothing was changed. */
    public static ApiException serviceUnavailable(String service, String why) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, service + " is unavailable: " + why);
    }
}
