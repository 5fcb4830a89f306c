package com.example.shop.common.remote;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import reactor.core.publisher.Mono;

import com.example.shop.common.web.ApiException;

/**
 * The resilience4j guards of one remote service, created once from the registries that
 * {@code resilience4j.*.instances.<name>} configures in {@code application.yml}, and applied to every
 * call, outermost first: a bulkhead (one permit per call, so that a refusal never reaches the breaker),
 * the circuit breaker, for idempotent calls a retry with backoff, and a time limit per attempt. The
 * breaker sits outside the retry, so that it records one outcome per call however many attempts the call
 * took. A call that still fails becomes a 503 that names the service; an outage is never passed off as
 * "not found".
 */
public final class ResilientCalls {

    private final String service;

    private final Bulkhead bulkhead;

    private final TimeLimiter timeLimiter;

    private final CircuitBreaker circuitBreaker;

    private final Retry retry;

    public ResilientCalls(String service, CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters,
            RetryRegistry retries, BulkheadRegistry bulkheads) {
        this.service = service;
        this.bulkhead = bulkheads.bulkhead(service);
        this.timeLimiter = timeLimiters.timeLimiter(service);
        this.circuitBreaker = circuitBreakers.circuitBreaker(service);
        this.retry = retries.retry(service);
    }

    public String service() {
        return service;
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** A call that may be repeated safely (a read, an idempotent delete): retried on service failures. */
    public <T> Mono<T> idempotent(Mono<T> call) {
        return guarded(call.transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(RetryOperator.of(retry)));
    }

    /** A call that must not be repeated blindly (a create): one attempt, guarded. */
    public <T> Mono<T> once(Mono<T> call) {
        return guarded(call.transformDeferred(TimeLimiterOperator.of(timeLimiter)));
    }

    /** The breaker over the call's attempts (one outcome per call), the bulkhead around both. */
    private <T> Mono<T> guarded(Mono<T> attempts) {
        return attempts.transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .onErrorMap(this::unavailable);
    }

    private Throwable unavailable(Throwable error) {
        if (error instanceof ApiException) {
            return error;
        }
        return ApiException.serviceUnavailable(service, RemoteFailures.describe(error));
    }
}
