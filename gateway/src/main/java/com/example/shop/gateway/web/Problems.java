package com.example.shop.gateway.web;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import com.example.shop.web.ApiException;
import com.example.shop.web.FieldProblem;
import com.example.shop.gateway.populate.PopulateException;
import com.example.shop.gateway.populate.PopulateLimitException;

/**
 * The errors the gateway itself answers: shop-web's {@link ApiException}s, the services' problems
 * ({@code errors[]} of {@code {field, message}} for a client mistake); {@link ProblemExceptionHandler}
 * writes them.
 */
public final class Problems {

    private Problems() {
    }

    /**
     * 503 with {@code Retry-After} (when the client may try again, in seconds): the backend failed, has no instance
     * up, or the gateway's guards refused to call it; naming it in the detail and in {@code backend}.
     */
    public static ApiException backendUnavailable(String backend, Throwable cause, long retryAfterSeconds) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                backend + " is unavailable: " + BackendFailures.describe(cause), List.of(), cause)
                .with("backend", backend)
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    /**
     * 504: the backend did not answer in time, naming it in the detail and in {@code backend}
     * ({@link ProblemExceptionHandler} alone answers it).
     */
    static ApiException backendTimedOut(String backend, Throwable cause) {
        return new ApiException(HttpStatus.GATEWAY_TIMEOUT, backend + " did not answer in time", List.of(), cause)
                .with("backend", backend);
    }

    /**
     * 400 for the {@code populate} parameter, with the paths that could have been asked for in {@code allowed};
     * for an answer over its budget, the limit: {@code limit} (documents or bytes), {@code max}, and what was
     * counted ({@code worstCase} foreseen before any backend call, or {@code counted} when the work stopped).
     */
    public static ApiException badPopulate(PopulateException cause) {
        String message = cause.getMessage().startsWith("populate: ")
                ? cause.getMessage().substring("populate: ".length()) : cause.getMessage();
        ApiException problem = new ApiException(HttpStatus.BAD_REQUEST, cause.getMessage(),
                List.of(new FieldProblem("populate", message)), cause);
        if (cause.option() != null) {
            problem = problem.with("option", cause.option());
        }
        if (cause instanceof PopulateLimitException over) {
            problem = problem.with("limit", over.limit().unit()).with("max", over.max())
                    .with(over.foreseen() ? "worstCase" : "counted", over.counted());
        }
        return cause.allowed().isEmpty() ? problem : problem.with("allowed", cause.allowed());
    }

    /**
     * 503 with {@code Retry-After}: the memory for answers in flight ({@code shop.gateway.answer-memory.max-size}) is
     * taken by others; this populated answer is not composed now. Names the budget ({@code budget}) and
     * {@code populate}, whose smaller answers take less of it.
     */
    public static ApiException answerMemoryFull(AnswerMemory memory) {
        long retryAfter = memory.retryAfterSeconds();
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "The gateway is composing as many answers as its memory "
                + "for answers in flight allows (" + memory.maxBytes() + " bytes, shop.gateway.answer-memory.max-size); "
                + "try again in " + retryAfter + " s, or ask for less (populate)", List.of())
                .with("budget", "shop.gateway.answer-memory.max-size")
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
    }

    /** 413 for a request body over the limit, found by counting it (a declared length gets shop-web's 413). */
    public static ApiException bodyTooLarge(long limit) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "The request body is over the limit of " + limit + " bytes.");
    }

    /**
     * 408 for a request line and headers that did not arrive whole in time; the connection is closed
     * ({@link RequestDeadlines} writes it itself: no request exists yet).
     */
    public static ApiException headTimedOut(Duration limit) {
        return new ApiException(HttpStatus.REQUEST_TIMEOUT, "The request line and headers did not arrive within "
                + describe(limit) + ".").withHeader(HttpHeaders.CONNECTION, "close");
    }

    /** 408 for a request body that did not arrive whole in time; the connection is closed after it. */
    public static ApiException bodyTimedOut(Duration limit) {
        return new ApiException(HttpStatus.REQUEST_TIMEOUT, "The request body did not arrive within " + describe(limit)
                + " of its headers.").withHeader(HttpHeaders.CONNECTION, "close");
    }

    /**
     * 503 with {@code Retry-After}: the gateway holds as many request bodies' bytes as it may
     * ({@code shop.gateway.requests.body-budget}); nothing of this one was read.
     */
    public static ApiException bodyBudgetSpent(long retryAfterSeconds) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "The gateway is holding as many request bodies as it can; "
                + "try again in " + retryAfterSeconds + (retryAfterSeconds == 1 ? " second." : " seconds."))
                .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }

    /** {@code 10 seconds}, {@code 1 second}, {@code 500 ms}: a time limit as a problem's detail names it. */
    private static String describe(Duration limit) {
        if (limit.toMillis() % 1000 != 0) {
            return limit.toMillis() + " ms";
        }
        return limit.toSeconds() + (limit.toSeconds() == 1 ? " second" : " seconds");
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
