package com.example.shop.remote;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import reactor.netty.channel.AbortedException;

import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Which failures of a remote call say the remote service is in trouble, and how to say what happened
 * in one phrase. Named in shop-defaults/remote.yml as the circuit breakers' {@code record-failure-predicate} and
 * the retries' {@code retry-exception-predicate}: a 4xx answer is the caller's concern, not the service's
 * health, and neither a refusal by our own circuit breaker or bulkhead nor the load balancer's "no instance"
 * ({@link NoInstanceException}) is worth retrying. A refused connection is retried (the next attempt may go
 * to another instance), and the breaker ignores it ({@link IgnoredFailures}, which says what the breaker
 * counts).
 */
public final class RemoteFailures implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable error) {
        return isServiceFailure(error);
    }

    public static boolean isServiceFailure(Throwable error) {
        if (error instanceof WebClientResponseException response) {
            return response.getStatusCode().is5xxServerError();
        }
        // AbortedException: the service closed the connection under the call (a Spring Cloud Gateway route sees it
        // bare, a WebClient call wrapped in a WebClientRequestException); never the caller's own client going away
        return error instanceof WebClientRequestException || error instanceof TimeoutException
                || error instanceof IOException || error instanceof AbortedException;
    }

    public static String describe(Throwable error) {
        if (error instanceof CallNotPermittedException) {
            return "its circuit breaker is open after repeated failures";
        }
        if (error instanceof NoInstanceException) {
            return "the load balancer has no instance of it";
        }
        if (error instanceof BulkheadFullException) {
            return "too many calls to it are already in flight";
        }
        if (error instanceof TimeoutException) {
            return "it did not answer in time";
        }
        if (IgnoredFailures.isRefused(error)) {
            return "it refused the connection";
        }
        if (IgnoredFailures.isUndelivered(error)) {
            return "it closed the connection before it had the whole request";
        }
        if (error instanceof WebClientRequestException) {
            return "it cannot be reached";
        }
        if (error instanceof WebClientResponseException response) {
            return "it answered " + response.getStatusCode().value();
        }
        return "the call failed (" + error.getClass().getSimpleName() + ")";
    }
}
