package com.example.shop.remote;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
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

import com.example.shop.web.ApiException;

/**
 * The resilience4j guards of one remote service, created once from the registries that
 * {@code resilience4j.*.instances.<name>} configures in {@code application.yml}, and applied to every
 * call, outermost first: a bulkhead (one permit per call, so that a refusal never reaches the breaker),
 * the circuit breaker, for idempotent calls a retry with backoff, and a time limit per attempt. The
 * breaker sits outside the retry, so that it records one outcome per call however many attempts the call
 * took. {@link #idempotent} and {@link #once} turn a call that still fails into a 503 that names the
 * service and carries {@code Retry-After} (an outage is never passed off as "not found"); {@link #retried}
 * and {@link #attempt} leave the failure as it is, for a caller that tells its own clients what happened
 * (the gateway). What the breaker counts: {@link IgnoredFailures}.
 *
 * <p>This is the one stack of guards every remote call goes through; {@link BackendGuards} builds the
 * gateway's two kinds of call from it.
 */
public final class ResilientCalls {

    private final String service;

    private final Bulkhead bulkhead;

    private final TimeLimiter timeLimiter;

    private final CircuitBreaker circuitBreaker;

    private final Retry retry;

    /** The guards named after the service: bulkhead, time limiter, circuit breaker and retry {@code <service>}. */
    public ResilientCalls(String service, CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters,
            RetryRegistry retries, BulkheadRegistry bulkheads) {
        this(service, bulkheads.bulkhead(service), timeLimiters.timeLimiter(service),
                circuitBreakers.circuitBreaker(service), retries.retry(service));
    }

    ResilientCalls(String service, Bulkhead bulkhead, TimeLimiter timeLimiter, CircuitBreaker circuitBreaker,
            Retry retry) {
        this.service = service;
        this.bulkhead = bulkhead;
        this.timeLimiter = timeLimiter;
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
    }

    public String service() {
        return service;
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** A call that may be repeated safely (a read, an idempotent delete): retried on service failures. */
    public <T> Mono<T> idempotent(Mono<T> call) {
        return retried(call).onErrorMap(this::unavailable);
    }

    /** A call that must not be repeated blindly (a create): one attempt, guarded. */
    public <T> Mono<T> once(Mono<T> call) {
        return attempt(call).onErrorMap(this::unavailable);
    }

    /** Like {@link #idempotent}, with a failure that is left as it came (the guards' refusals included). */
    public <T> Mono<T> retried(Mono<T> call) {
        return guarded(call.transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(RetryOperator.of(retry)));
    }

    /** Like {@link #once}, with a failure that is left as it came (the guards' refusals included). */
    public <T> Mono<T> attempt(Mono<T> call) {
        return guarded(call.transformDeferred(TimeLimiterOperator.of(timeLimiter)));
    }

    /** The breaker over the call's attempts (one outcome per call), the bulkhead around both. */
    private <T> Mono<T> guarded(Mono<T> attempts) {
        return attempts.transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .transformDeferred(BulkheadOperator.of(bulkhead));
    }

    /**
     * The seconds a client should wait before trying again after {@code error}: the breaker's wait in its open
     * state when the breaker refused the call (it lets calls through again after at most that), one otherwise
     * (a service that is back is reached by the next call: {@link IgnoredFailures}).
     */
    public long retryAfterSeconds(Throwable error) {
        if (error instanceof CallNotPermittedException) {
            long millis = circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
            return Math.max(1, (millis + 999) / 1000);
        }
        return 1;
    }

    private Throwable unavailable(Throwable error) {
        if (error instanceof ApiException) {
            return error;
        }
        return ApiException.serviceUnavailable(service, RemoteFailures.describe(error), retryAfterSeconds(error));
    }
}
