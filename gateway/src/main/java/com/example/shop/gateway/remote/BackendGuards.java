package com.example.shop.gateway.remote;

import java.util.Optional;
import java.util.function.Function;

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
 * proxied requests share the backend's circuit breaker (an outage seen by one stops the other from piling
 * on), which records one outcome per call: it sits outside the lookups' retry, and a proxied request is
 * one call whatever the route's own retry does. Each kind has its own time limit ({@code <backend>} per
 * lookup attempt, {@code <backend>-route}) and its own bulkhead ({@code <backend>-populate} and
 * {@code <backend>}), outermost, so that a fan-out of lookups cannot take the permits routed requests
 * need and a refusal never reaches the breaker. Only the lookups, idempotent GETs, are retried.
 *
 * <p>A proxied request that fails on the client's side (see {@link ClientSideFailure}) is ignored by the
 * breaker: a client's hang-up or broken upload says nothing about the backend.
 */
public final class BackendGuards {

    private final String backend;

    private final Bulkhead routeBulkhead;

    private final Bulkhead lookupBulkhead;

    private final CircuitBreaker circuitBreaker;

    private final TimeLimiter lookupTimeLimiter;

    private final TimeLimiter routeTimeLimiter;

    private final Retry retry;

    public BackendGuards(String backend, CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters,
            RetryRegistry retries, BulkheadRegistry bulkheads) {
        this.backend = backend;
        this.routeBulkhead = bulkheads.bulkhead(backend);
        this.lookupBulkhead = bulkheads.bulkhead(backend + "-populate");
        this.circuitBreaker = circuitBreakers.circuitBreaker(backend);
        this.lookupTimeLimiter = timeLimiters.timeLimiter(backend);
        this.routeTimeLimiter = timeLimiters.timeLimiter(backend + "-route");
        this.retry = retries.retry(backend);
        if (!circuitBreaker.getCircuitBreakerConfig().getIgnoreExceptionPredicate()
                .test(new ClientSideFailure(new IllegalStateException("check")))) {
            throw new IllegalStateException("The circuit breaker of " + backend + " must ignore "
                    + ClientSideFailure.class.getName() + " (resilience4j.circuitbreaker.configs.default.ignore-exceptions)");
        }
    }

    public String backend() {
        return backend;
    }

    /**
     * An idempotent lookup: a time limit per attempt, retry with backoff, the circuit breaker over the
     * attempts, all inside the populate bulkhead.
     */
    public <T> Mono<T> lookup(Mono<T> call) {
        return call.transformDeferred(TimeLimiterOperator.of(lookupTimeLimiter))
                .transformDeferred(RetryOperator.of(retry))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .transformDeferred(BulkheadOperator.of(lookupBulkhead));
    }

    /**
     * A proxied request, whatever its method: time limit, circuit breaker, bulkhead; never repeated here.
     *
     * @param clientSide whether an error of the call (a time-out included) is the client's doing, and then
     *                   the failure that passes the breaker unrecorded, and comes out
     */
    public <T> Mono<T> route(Mono<T> call, Function<Throwable, Optional<ClientSideFailure>> clientSide) {
        return call.transformDeferred(TimeLimiterOperator.of(routeTimeLimiter))
                .onErrorMap(error -> clientSide.apply(error).<Throwable>map(failure -> failure).orElse(error))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .transformDeferred(BulkheadOperator.of(routeBulkhead));
    }
}
