package com.example.shop.gateway.remote;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Which errors of a backend call say the backend is in trouble, and how to tell the client. Named in
 * {@code application.yml} as the circuit breakers' {@code record-exception-predicate} and the retries'
 * {@code retry-exception-predicate}: a 4xx answer is not the backend's ill health, and a refusal by our
 * own circuit breaker or bulkhead is not worth retrying.
 *
 * <p>The services have the same rule in {@code common}'s {@code RemoteFailures}; the gateway keeps its
 * own because it depends on no part of {@code common} (which brings a store and the services' web
 * rules), and it also needs the 503/504 split and the failures of a proxied exchange (plain I/O errors).
 */
public final class BackendFailures implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable error) {
        return isBackendFailure(error);
    }

    /** The backend failed: it cannot be reached, dropped the connection, timed out, or answered 5xx. */
    public static boolean isBackendFailure(Throwable error) {
        if (error instanceof WebClientResponseException response) {
            return response.getStatusCode().is5xxServerError();
        }
        return error instanceof WebClientRequestException || error instanceof TimeoutException
                || error instanceof IOException;
    }

    /** The backend failed, or our guards refused to call it. */
    public static boolean isUnavailable(Throwable error) {
        return isBackendFailure(error) || error instanceof CallNotPermittedException
                || error instanceof BulkheadFullException;
    }

    /** 504 when it did not answer in time, otherwise 503. */
    public static HttpStatus status(Throwable error) {
        return error instanceof TimeoutException ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.SERVICE_UNAVAILABLE;
    }

    public static String describe(Throwable error) {
        if (error instanceof CallNotPermittedException) {
            return "its circuit breaker is open after repeated failures";
        }
        if (error instanceof BulkheadFullException) {
            return "too many calls to it are already in flight";
        }
        if (error instanceof TimeoutException) {
            return "it did not answer in time";
        }
        if (error instanceof WebClientResponseException response) {
            return "it answered " + response.getStatusCode().value();
        }
        if (error instanceof WebClientRequestException || error instanceof IOException) {
            return "it cannot be reached";
        }
        return "the call failed (" + error.getClass().getSimpleName() + ")";
    }
}
