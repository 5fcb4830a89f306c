package com.example.shop.gateway.remote;

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

/**
 * The resilience4j guards of one backend, created once from the registries that {@code
 * resilience4j.*.instances.<backend>} configures in {@code application.yml}. Populate lookups and
 * proxied requests share the backend's bulkhead and circuit breaker (an outage seen by one stops the
 * other from piling on); each has its own time limit ({@code <backend>} and {@code <backend>-route}),
 * and only the lookups, idempotent GETs, are retried.
 */
public final class BackendGuards {

    private final String backend;

    private final Bulkhead bulkhead;

    private final CircuitBreaker circuitBreaker;

    private final TimeLimiter lookupTimeLimiter;

    private final TimeLimiter routeTimeLimiter;

    private final Retry retry;

    public BackendGuards(String backend, CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters,
            RetryRegistry retries, BulkheadRegistry bulkheads) {
        this.backend = backend;
        this.bulkhead = bulkheads.bulkhead(backend);
        this.circuitBreaker = circuitBreakers.circuitBreaker(backend);
        this.lookupTimeLimiter = timeLimiters.timeLimiter(backend);
        this.routeTimeLimiter = timeLimiters.timeLimiter(backend + "-route");
        this.retry = retries.retry(backend);
    }

    public String backend() {
        return backend;
    }

    /** An idempotent lookup: bulkhead, time limit per attempt, circuit breaker, retry with backoff. */
    public <T> Mono<T> lookup(Mono<T> call) {
        return guarded(call, lookupTimeLimiter).transformDeferred(RetryOperator.of(retry));
    }

    /** A proxied request, whatever its method: guarded, never repeated. */
    public <T> Mono<T> route(Mono<T> call) {
        return guarded(call, routeTimeLimiter);
    }

    private <T> Mono<T> guarded(Mono<T> call, TimeLimiter timeLimiter) {
        return call.transformDeferred(BulkheadOperator.of(bulkhead))
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker));
    }
}
