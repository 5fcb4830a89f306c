package com.example.shop.gateway.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import com.example.shop.gateway.populate.PopulateException;

/**
 * The errors the gateway itself answers, as RFC 9457 problems in the services' shape ({@code errors[]}
 * of {@code {field, message}} for a client mistake); {@link ProblemExceptionHandler} writes them.
 */
public final class Problems {

    private Problems() {
    }

    /** 503, or 504 when it did not answer in time: naming the backend in the detail and in {@code backend}. */
    public static ErrorResponseException backendUnavailable(String backend, Throwable cause) {
        HttpStatus status = BackendFailures.status(cause);
        String detail = status == HttpStatus.GATEWAY_TIMEOUT
                ? backend + " did not answer in time"
                : backend + " is unavailable: " + BackendFailures.describe(cause);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("backend", backend);
        return new ErrorResponseException(status, problem, cause);
    }

    /** 400 for the {@code populate} parameter, with the paths that could have been asked for in {@code allowed}. */
    public static ErrorResponseException badPopulate(PopulateException cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, cause.getMessage());
        String message = cause.getMessage().startsWith("populate: ")
                ? cause.getMessage().substring("populate: ".length()) : cause.getMessage();
        problem.setProperty("errors", List.of(Map.of("field", "populate", "message", message)));
        if (!cause.allowed().isEmpty()) {
            problem.setProperty("allowed", cause.allowed());
        }
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, cause);
    }

    /** 413 for a request body over the limit, found by counting it (a declared length gets common's 413). */
    public static ErrorResponseException bodyTooLarge(long limit) {
        return new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, "The request body is over the limit of " + limit + " bytes."), null);
    }

    /** 429 with {@code Retry-After}: this client address has used up its sign-up and token requests for now. */
    public static ErrorResponseException tooManySignIns(long retryAfterSeconds) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many sign-up and token requests from this address; try again in " + retryAfterSeconds
                        + " seconds.");
        ErrorResponseException refused = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
        refused.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return refused;
    }

    /** 404 for a path the gateway does not route, and for any that would reach a service's internals. */
    public static ErrorResponseException notFound() {
        return new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such resource."), null);
    }
}
