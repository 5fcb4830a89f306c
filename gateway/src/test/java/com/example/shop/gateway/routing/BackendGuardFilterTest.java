package com.example.shop.gateway.routing;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.test.StepVerifier;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.ErrorResponseException;

import com.example.shop.remote.BackendGuards;
import com.example.shop.remote.IgnoredFailures;
import com.example.shop.remote.RemoteFailures;
import com.example.shop.web.ApiException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the route guard tells the breaker, by where a proxied request broke: a failure on the backend's side,
 * unless the request never reached it (a refused connection, no instance); and what the client is told. The
 * client's body is whole in the gateway before it is routed (BodyLimitFilter), so it cannot break on the way.
 * The chain stands in for the routing filter, which sends the client's body and then waits for the answer.
 */
class BackendGuardFilterTest {

    /** As shop-defaults/remote.yml and the gateway's application.yml configure it. */
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .recordException(new RemoteFailures()).ignoreException(new IgnoredFailures())
            .ignoreExceptions(NotFoundException.class).build());

    private final BackendGuardFilter filter = new BackendGuardFilter(new BackendGuards("user-service", circuitBreakers,
            TimeLimiterRegistry.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(2)).build()),
            RetryRegistry.ofDefaults(), BulkheadRegistry.ofDefaults()));

    private final CircuitBreaker breaker = circuitBreakers.circuitBreaker("user-service");

    private static DataBuffer bytes(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the body, then fails with {@code afterwards} (or, if the body broke, with what the sending saw). */
    private static GatewayFilterChain sendsBodyThenFails(IOException afterwards) {
        return exchange -> exchange.getRequest().getBody().then()
                .onErrorMap(broken -> new IOException("Connection reset by peer", broken))
                .then(Mono.error(afterwards));
    }

    @Test
    void aBackendThatFailsAfterTheWholeBodyIsAFailure() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/users")
                .body(Flux.just(bytes("{\"name\":\"x\"}"))));

        StepVerifier.create(filter.filter(exchange, sendsBodyThenFails(new IOException("Connection reset by peer"))))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ErrorResponseException.class)
                        .hasMessageContaining("503"))
                .verify(Duration.ofSeconds(5));

        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void aBackendThatCannotBeReachedIsAFailure() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/users/1"));

        StepVerifier.create(filter.filter(exchange, ex -> Mono.error(new IOException("Connection reset by peer"))))
                .expectError(ErrorResponseException.class)
                .verify(Duration.ofSeconds(5));

        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    /**
     * Nothing listens at the instance's address (the backend is stopped or restarting): a 503 that says so, with
     * {@code Retry-After}, and nothing for the breaker, so that the request after the restart goes through.
     */
    @Test
    void aRefusedConnectionIsA503WithRetryAfterThatTheBreakerIgnores() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/users/1/cart/items")
                .body(Flux.just(bytes("{}"))));

        StepVerifier.create(filter.filter(exchange, ex -> Mono.error(new ConnectException("Connection refused"))))
                .expectErrorSatisfies(error -> {
                    ApiException problem = (ApiException) error;
                    assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(problem.getBody().getDetail()).isEqualTo("user-service is unavailable: it refused the connection");
                    assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                })
                .verify(Duration.ofSeconds(5));

        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    /**
     * A backend stopping gracefully closes a kept-alive connection the gateway has just taken for a request: Reactor
     * Netty fails the routed call with an {@link AbortedException} (a RuntimeException, not an IOException), which is
     * the backend's doing, never the client's going away (an empty 400 before, seen in BackendRestartIT).
     */
    @Test
    void aConnectionTheBackendClosedBeforeTheRequestWasSentIsA503WithRetryAfterThatTheBreakerIgnores() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.patch("/products/1")
                .body(Flux.just(bytes("{\"price\":1}"))));

        StepVerifier.create(filter.filter(exchange, ex -> Mono.error(AbortedException.beforeSend())))
                .expectErrorSatisfies(error -> {
                    ApiException problem = (ApiException) error;
                    assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(problem.getBody().getDetail())
                            .isEqualTo("user-service is unavailable: it closed the connection before it had the whole request");
                    assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                })
                .verify(Duration.ofSeconds(5));

        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    }

    /** The load balancer had no instance to send to (Spring Cloud Gateway's NotFoundException): no call was made. */
    @Test
    void noInstanceIsA503WithRetryAfterThatTheBreakerIgnores() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/users/1"));

        StepVerifier.create(filter.filter(exchange,
                        ex -> Mono.error(NotFoundException.create(false, "Unable to find instance for user-service"))))
                .expectErrorSatisfies(error -> {
                    ApiException problem = (ApiException) error;
                    assertThat(problem.getBody().getDetail()).isEqualTo("user-service is unavailable: no instance of it is up");
                    assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                })
                .verify(Duration.ofSeconds(5));

        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    @Test
    void whenTheBreakerIsOpenRetryAfterIsItsWait() {
        breaker.transitionToOpenState();
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/users/1"));

        StepVerifier.create(filter.filter(exchange, ex -> Mono.empty()))
                .expectErrorSatisfies(error -> assertThat(((ApiException) error).getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                        .isEqualTo(Long.toString(CircuitBreakerConfig.DEFAULT_WAIT_DURATION_IN_OPEN_STATE)))
                .verify(Duration.ofSeconds(5));
    }
}
