package com.example.shop.gateway.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import com.example.shop.common.web.ApiException;
import com.example.shop.common.web.FieldProblem;
import com.example.shop.gateway.populate.PopulateException;

/**
 * The errors the gateway itself answers: common's {@link ApiException}s, the services' problems
 * ({@code errors[]} of {@code {field, message}} for a client mistake); {@link ProblemExceptionHandler}
 * writes them.
 */
public final class Problems {

    private Problems() {
    }

    /** 503, or 504 when it did not answer in time: naming the backend in the detail and in {@code backend}. */
    public static ApiException backendUnavailable(String backend, Throwable cause) {
        HttpStatus status = BackendFailures.status(cause);
        String detail = status == HttpStatus.GATEWAY_TIMEOUT
                ? backend + " did not answer in time"
                : backend + " is unavailable: " + BackendFailures.describe(cause);
        return new ApiException(status, detail, List.of(), cause).with("backend", backend);
    }

    /**
     * {@link #backendUnavailable(String, Throwable)} with {@code Retry-After} on a 503: when the client may try
     * again, in seconds.
     */
    public static ApiException backendUnavailable(String backend, Throwable cause, long retryAfterSeconds) {
        ApiException problem = backendUnavailable(backend, cause);
        return problem.status() == HttpStatus.SERVICE_UNAVAILABLE
                ? problem.withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds)) : problem;
    }

    /** 400 for the {@code populate} parameter, with the paths that could have been asked for in {@code allowed}. */
    public static ApiException badPopulate(PopulateException cause) {
        String message = cause.getMessage().startsWith("populate: ")
                ? cause.getMessage().substring("populate: ".length()) : cause.getMessage();
        ApiException problem = new ApiException(HttpStatus.BAD_REQUEST, cause.getMessage(),
                List.of(new FieldProblem("populate", message)), cause);
        if (cause.option() != null) {
            problem = problem.with("option", cause.option());
        }
        return cause.allowed().isEmpty() ? problem : problem.with("allowed", cause.allowed());
    }

    /** 413 for a request body over the limit, found by counting it (a declared length gets common's 413). */
    public static ApiException bodyTooLarge(long limit) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "The request body is over the limit of " + limit + " bytes.");
    }

    /** 429 with {@code Retry-After}: this client address has used up its sign-up and token requests for now. */
    public static ApiException tooManySignIns(long retryAfterSeconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many sign-up and token requests from this address; try again in "
                + retryAfterSeconds + " seconds.").withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    /** 404 for a path the gateway does not route, and for any that would reach a service's internals. */
    public static ApiException notFound() {
        return new ApiException(HttpStatus.NOT_FOUND, "No such resource.");
    }
}
