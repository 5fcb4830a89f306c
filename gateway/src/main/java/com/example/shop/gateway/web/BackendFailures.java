package com.example.shop.gateway.web;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.handler.timeout.ReadTimeoutException;

import org.springframework.cloud.gateway.support.NotFoundException;

import com.example.shop.remote.IgnoredFailures;
import com.example.shop.remote.RemoteFailures;

/**
 * How the gateway tells a client that a backend failed. Which errors are the backend's failure is shop-remote's
 * {@link RemoteFailures} (and what its circuit breaker ignores, {@link IgnoredFailures}); the gateway adds the
 * 503/504 split, the refusals of its own guards, and a backend with no instance (Spring Cloud Gateway's
 * {@link NotFoundException}, which its breakers ignore too: application.yml). A timeout is a 504 and nothing
 * else: {@link ProblemExceptionHandler} alone answers it; every other failure is a 503 with {@code Retry-After},
 * which the route's guard answers ({@code BackendGuardFilter}).
 */
public final class BackendFailures {

    private BackendFailures() {
    }

    /** The backend failed, has no instance up, or our guards refused to call it. */
    public static boolean isUnavailable(Throwable error) {
        return RemoteFailures.isServiceFailure(error) || error instanceof CallNotPermittedException
                || error instanceof BulkheadFullException || error instanceof NotFoundException;
    }

    /**
     * It did not answer in time: the route's time limit or the populate budget ran out
     * ({@link TimeoutException}), or the HTTP client's read timeout while its answer was read.
     */
    public static boolean isTimeout(Throwable error) {
        return error instanceof TimeoutException || error instanceof ReadTimeoutException;
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
