package com.example.shop.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A failure the client is told about as an RFC 9457 problem: its status, a one-line detail, the request
 * fields it concerns ({@code errors[]} of {@link FieldProblem}), any further properties and headers (such
 * as {@code Retry-After}). An {@link ErrorResponseException}: Spring renders it from a controller
 * ({@link ApiExceptionHandler}), and {@link ProblemResponses} writes it where no controller is involved.
 * Thrown by the services and the gateway alike.
 */
public class ApiException extends ErrorResponseException {

    private final List<FieldProblem> errors;

    public ApiException(HttpStatusCode status, String detail, List<FieldProblem> errors, Throwable cause) {
        super(status, problem(status, detail, errors), cause);
        this.errors = List.copyOf(errors);
    }

    public ApiException(HttpStatusCode status, String detail, List<FieldProblem> errors) {
        this(status, detail, errors, null);
    }

    public ApiException(HttpStatusCode status, String detail) {
        this(status, detail, List.of());
    }

    /** The problem body of every error of the project: status, detail and, if any, {@code errors[]}. */
    public static ProblemDetail problem(HttpStatusCode status, String detail, List<FieldProblem> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            body.setProperty("errors", List.copyOf(errors));
        }
        return body;
    }

    public HttpStatus status() {
        return HttpStatus.valueOf(getStatusCode().value());
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    /** The detail, then the status: {@code "page: must be at least 0 (400 BAD_REQUEST)"}. */
    @Override
    public String getMessage() {
        return getBody().getDetail() + " (" + getStatusCode() + ")";
    }

    /** This problem with one more property in its body ({@code backend}, {@code allowed}, ...). */
    public ApiException with(String property, Object value) {
        getBody().setProperty(property, value);
        return this;
    }

    /** This problem with a header in its response ({@code Retry-After}, {@code WWW-Authenticate}, ...). */
    public ApiException withHeader(String name, String value) {
        getHeaders().set(name, value);
        return this;
    }

    /** 404: no {@code resource} with this id. */
    public static ApiException notFound(String resource, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, resource + " " + id + " not found");
    }

    /** 400 for one field or parameter. */
    public static ApiException badRequest(String field, String message) {
        return forField(HttpStatus.BAD_REQUEST, field, message);
    }

    /** 400, 403, 409, 422, ... for one field or parameter: {@code field: message} is its detail. */
    public static ApiException forField(HttpStatusCode status, String field, String message) {
        return new ApiException(status, field + ": " + message, List.of(new FieldProblem(field, message)));
    }

    /** 400 for the fields of {@code errors}, all named in the detail. */
    public static ApiException invalid(List<FieldProblem> errors) {
        String detail = errors.isEmpty() ? "The request is invalid."
                : String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
        return new ApiException(HttpStatus.BAD_REQUEST, detail, errors);
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
        return forField(HttpStatus.CONFLICT, field, message);
    }

    /** 422: well-formed, but the field's value breaks a rule of the domain (a missing referenced document, a limit). */
    public static ApiException unprocessable(String field, String message) {
        return forField(HttpStatus.UNPROCESSABLE_CONTENT, field, message);
    }

    /**
     * 503: a service this request depends on did not answer usefully; nothing was changed. {@code Retry-After}
     * says when to try again.
     */
    public static ApiException serviceUnavailable(String service, String why, long retryAfterSeconds) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, service + " is unavailable: " + why)
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
}
