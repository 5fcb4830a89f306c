package com.example.shop.remote;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.example.shop.web.ApiException;

import static org.assertj.core.api.Assertions.assertThat;

class ResilientCallsTest {

    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
            .recordException(new RemoteFailures()).build());

    private final ResilientCalls calls = new ResilientCalls("stock-service", circuitBreakers,
            TimeLimiterRegistry.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofMillis(200)).build()),
            RetryRegistry.of(RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(10))
                    .retryOnException(new RemoteFailures()).build()),
            BulkheadRegistry.ofDefaults());

    @Test
    void idempotentCallsAreRetriedOnServiceFailures() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> flaky = Mono.defer(() -> attempts.incrementAndGet() < 3
                ? Mono.error(WebClientResponseException.create(503, "Unavailable", null, null, null))
                : Mono.just("ok"));
        StepVerifier.create(calls.idempotent(flaky)).expectNext("ok").verifyComplete();
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aCallWhoseEveryAttemptFailsCountsAsOneFailureInTheBreaker() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> down = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(WebClientResponseException.create(503, "Unavailable", null, null, null));
        });
        StepVerifier.create(calls.idempotent(down)).expectError(ApiException.class).verify();

        assertThat(attempts).hasValue(3);
        assertThat(calls.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(calls.circuitBreaker().getMetrics().getNumberOfBufferedCalls()).isEqualTo(1);
    }

    @Test
    void aCallThatSucceedsOnItsLastAttemptCountsAsOneSuccess() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> flaky = Mono.defer(() -> attempts.incrementAndGet() < 3
                ? Mono.error(WebClientResponseException.create(503, "Unavailable", null, null, null))
                : Mono.just("ok"));
        StepVerifier.create(calls.idempotent(flaky)).expectNext("ok").verifyComplete();

        assertThat(calls.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(calls.circuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    @Test
    void eachAttemptHasItsOwnTimeLimit() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> slowThenFast = Mono.defer(() -> attempts.incrementAndGet() < 3 ? Mono.never() : Mono.just("ok"));
        StepVerifier.create(calls.idempotent(slowThenFast)).expectNext("ok").verifyComplete();

        assertThat(attempts).hasValue(3);
        assertThat(calls.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void onceIsNotRetriedAndAFailureBecomesA503NamingTheService() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> failing = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(WebClientResponseException.create(500, "Boom", null, null, null));
        });
        StepVerifier.create(calls.once(failing))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(ApiException.class);
                    assertThat(((ApiException) e).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("stock-service").contains("answered 500");
                })
                .verify();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aSlowCallTimesOut() {
        StepVerifier.create(calls.once(Mono.never()))
                .expectErrorSatisfies(e -> assertThat(e.getMessage()).contains("did not answer in time"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void clientErrorsNeitherCountAgainstTheCircuitNorGetRetried() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> badRequest = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(WebClientResponseException.create(400, "Bad", null, null, null));
        });
        for (int i = 0; i < 6; i++) {
            StepVerifier.create(calls.idempotent(badRequest)).expectError(ApiException.class).verify();
        }
        assertThat(attempts).hasValue(6);
        assertThat(calls.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void repeatedFailuresOpenTheCircuitAndThenCallsAreRefusedWithoutReachingTheService() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> down = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(WebClientResponseException.create(502, "Bad gateway", null, null, null));
        });
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(calls.once(down)).expectError(ApiException.class).verify();
        }
        assertThat(calls.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        StepVerifier.create(calls.once(down))
                .expectErrorSatisfies(e -> assertThat(e.getMessage()).contains("circuit breaker is open"))
                .verify();
        assertThat(attempts).hasValue(4);
    }
}
