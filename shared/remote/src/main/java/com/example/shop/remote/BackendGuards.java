package com.example.shop.remote;


import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import reactor.core.publisher.Mono;

/**
 * The guards of a backend that a proxy (the gateway) both routes requests to and looks documents up in:
 * two {@link ResilientCalls} over the same circuit breaker {@code <backend>} (an outage seen by one stops
 * the other from piling on), each with its own time limit ({@code <backend>} per lookup attempt,
 * {@code <backend>-route}) and its own bulkhead ({@code <backend>-populate} and {@code <backend>}), so that
 * a fan-out of lookups cannot take the permits routed requests need. Only the lookups, idempotent GETs,
 * are retried ({@code <backend>}); a proxied request is one call whatever the route's own retry does.
 * Failures are left as they are: the proxy tells its clients what happened.
 *
 * <p>What the breaker counts is {@link IgnoredFailures}'s to say: a request that never reached the backend whole
 * (refused, or cut off while it was sent) is not held against it.
 */
public final class BackendGuards {

    private final String backend;

    private final ResilientCalls lookups;

    private final ResilientCalls routes;

    public BackendGuards(String backend, CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters,
            RetryRegistry retries, BulkheadRegistry bulkheads) {
        this.backend = backend;
        CircuitBreaker circuitBreaker = circuitBreakers.circuitBreaker(backend);
        Retry retry = retries.retry(backend);
        this.lookups = new ResilientCalls(backend, bulkheads.bulkhead(backend + "-populate"),
                timeLimiters.timeLimiter(backend), circuitBreaker, retry);
        this.routes = new ResilientCalls(backend, bulkheads.bulkhead(backend),
                timeLimiters.timeLimiter(backend + "-route"), circuitBreaker, retry);
        if (!circuitBreaker.getCircuitBreakerConfig().getIgnoreExceptionPredicate()
                .test(new NoInstanceException(backend))) {
            throw new IllegalStateException("The circuit breaker of " + backend + " must ignore what "
                    + IgnoredFailures.class.getName()
                    + " names (resilience4j.circuitbreaker.configs.default.ignore-exception-predicate)");
        }
    }

    public String backend() {
        return backend;
    }

    /** The seconds a client should wait after {@code error} before trying again: see {@link ResilientCalls}. */
    public long retryAfterSeconds(Throwable error) {
        return routes.retryAfterSeconds(error);
    }

    /**
     * An idempotent lookup: a time limit per attempt, retry with backoff, the circuit breaker over the
     * attempts, all inside the populate bulkhead.
     */
    public <T> Mono<T> lookup(Mono<T> call) {
        return lookups.retried(call);
    }

    /** A proxied request, whatever its method: time limit, circuit breaker, bulkhead; never repeated here. */
    public <T> Mono<T> route(Mono<T> call) {
        return routes.attempt(call);
    }
}
