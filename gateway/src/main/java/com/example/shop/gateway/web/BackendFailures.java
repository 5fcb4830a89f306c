package com.example.shop.gateway.web;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.http.HttpStatus;

import com.example.shop.remote.IgnoredFailures;
import com.example.shop.remote.RemoteFailures;

/**
 * How the gateway tells a client that a backend failed. Which errors are the backend's failure is shop-remote's
 * {@link RemoteFailures} (and what its circuit breaker ignores, {@link IgnoredFailures}); the gateway adds the
 * 503/504 split, the refusals of its own guards, and a backend with no instance (Spring Cloud Gateway's
 * {@link NotFoundException}, which its breakers ignore too: application.yml).
 */
public final class BackendFailures {

    private BackendFailures() {
    }

    /** The backend failed, has no instance up, or our guards refused to call it. */
    public static boolean isUnavailable(Throwable error) {
        return RemoteFailures.isServiceFailure(error) || error instanceof CallNotPermittedException
                || error instanceof BulkheadFullException || error instanceof NotFoundException;
    }

    /** 504 when it did not answer in time, otherwise 503. */
    public static HttpStatus status(Throwable error) {
        return error instanceof TimeoutException ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.SERVICE_UNAVAILABLE;
    }

    public static String describe(Throwable error) {
        if (error instanceof NotFoundException) {
            return "no instance of it is up";
        }
        if (error instanceof IOException && !IgnoredFailures.isRefused(error)) {
            return "it cannot be reached";
        }
        return RemoteFailures.describe(error);
    }
}
