package com.example.shop.remote;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import com.example.shop.testing.FreePorts;
import com.example.shop.web.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a backend's circuit breaker counts, one kind of outcome at a time: each call made for real, by a WebClient
 * load-balanced as {@link RemoteServices} makes it, to a real server (or to a port where none listens), through
 * {@link ResilientCalls} with the breaker as shop-defaults/remote.yml configures it ({@link RemoteFailures} recorded,
 * {@link IgnoredFailures} ignored). Failures: a 5xx answer, no answer in time, a connection closed before the
 * answer, a connect time-out. Successes: any answer below 500. Nothing: a refused connection, no instance, a call
 * the client cancelled.
 */
class WhatTheBreakerCountsTest {

    private static final String SERVICE = "stock-service";

    private static final AtomicInteger HANGING = new AtomicInteger();

    private static DisposableServer backend;

    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
            .recordException(new RemoteFailures()).ignoreException(new IgnoredFailures()).build());

    private final RetryRegistry retries = RetryRegistry.of(RetryConfig.custom().maxAttempts(3)
            .waitDuration(Duration.ofMillis(10)).retryOnException(new RemoteFailures()).build());

    private final ResilientCalls calls = new ResilientCalls(SERVICE, breakers,
            TimeLimiterRegistry.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(2)).build()),
            retries, BulkheadRegistry.ofDefaults());

    private final CircuitBreaker breaker = calls.circuitBreaker();

    @BeforeAll
    static void startBackend() {
        backend = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/answer/{status}", (request, response) ->
                                response.status(Integer.parseInt(request.param("status"))).send())
                        .get("/hang", (request, response) -> {
                            HANGING.incrementAndGet();
                            return Mono.never();
                        })
                        .get("/close", (request, response) -> {
                            response.withConnection(connection -> connection.channel().close());
                            return Mono.never();
                        })
                        // as a backend that stops while a request's body is on its way: closed at its first part
                        .post("/close-mid-body", (request, response) -> request.receive().take(1)
                                .doOnNext(part -> response.withConnection(connection -> connection.channel().close()))
                                .then(Mono.never())))
                .bindNow();
    }

    @AfterAll
    static void stopBackend() {
        backend.disposeNow();
    }

    private static ServiceInstance instance(int port) {
        return new DefaultServiceInstance(SERVICE + "-" + port, SERVICE, "127.0.0.1", port, false);
    }

    /** A WebClient for the service as RemoteServices builds one, load-balanced over these instances. */
    private static WebClient client(ServiceInstance... instances) {
        return client(ServiceInstanceListSuppliers.from(SERVICE, instances));
    }

    static WebClient client(ServiceInstanceListSupplier instances) {
        ReactiveLoadBalancer.Factory<ServiceInstance> balancers = new ReactiveLoadBalancer.Factory<>() {
            @Override
            public ReactiveLoadBalancer<ServiceInstance> getInstance(String serviceId) {
                return new RoundRobinLoadBalancer(provider(instances), serviceId);
            }

            @Override
            public <X> java.util.Map<String, X> getInstances(String name, Class<X> type) {
                return java.util.Map.of();
            }

            @Override
            public <X> X getInstance(String name, Class<?> clazz, Class<?>... generics) {
                return null;
            }

            @Override
            public LoadBalancerProperties getProperties(String serviceId) {
                return new LoadBalancerProperties();
            }
        };
        return WebClient.builder()
                .filter(new NoInstanceFilter(new ReactorLoadBalancerExchangeFilterFunction(balancers, List.of())))
                .baseUrl("http://" + SERVICE).build();
    }

    @SuppressWarnings("unchecked")
    private static ObjectProvider<ServiceInstanceListSupplier> provider(ServiceInstanceListSupplier supplier) {
        return new org.springframework.beans.factory.support.StaticListableBeanFactory(
                java.util.Map.of("supplier", supplier)).getBeanProvider(ServiceInstanceListSupplier.class);
    }

    private Mono<Void> get(WebClient client, String path) {
        return client.get().uri(path).retrieve().toBodilessEntity().then();
    }

    private WebClient up() {
        return client(instance(backend.port()));
    }

    private void assertCounted(int failed, int successful) {
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as("failures").isEqualTo(failed);
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).as("successes").isEqualTo(successful);
    }

    // ---- failures

    @Test
    void a5xxAnswerIsAFailure() {
        StepVerifier.create(calls.once(get(up(), "/answer/500")))
                .expectErrorSatisfies(error -> assertThat(error.getMessage()).contains(SERVICE, "answered 500"))
                .verify(Duration.ofSeconds(10));
        assertCounted(1, 0);
    }

    @Test
    void noAnswerInTimeIsAFailure() {
        StepVerifier.create(calls.once(get(up(), "/hang")))
                .expectErrorSatisfies(error -> assertThat(error.getMessage()).contains("did not answer in time"))
                .verify(Duration.ofSeconds(10));
        assertCounted(1, 0);
    }

    @Test
    void aConnectionClosedBeforeTheAnswerIsAFailure() {
        StepVerifier.create(calls.once(get(up(), "/close")))
                .expectErrorSatisfies(error -> assertThat(error.getMessage()).contains("cannot be reached"))
                .verify(Duration.ofSeconds(10));
        assertCounted(1, 0);
    }

    @Test
    void aConnectionClosedWhileTheRequestIsSentIsNotCountedAndIsAnswered503() {
        // a body still on its way, part by part, when the backend closes the connection at its first part
        Flux<DataBuffer> body = Flux.range(0, 20).delayElements(Duration.ofMillis(50))
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[1024]));
        StepVerifier.create(calls.once(up().post().uri("/close-mid-body").body(body, DataBuffer.class).retrieve()
                        .toBodilessEntity()))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ApiException.class);
                    assertThat(error.getMessage()).contains(SERVICE, "closed the connection before it had the whole request");
                })
                .verify(Duration.ofSeconds(10));
        assertCounted(0, 0);
    }

    @Test
    void aRequestTheConnectionClosedOnBeforeItWasSentIsUndelivered() {
        assertThat(IgnoredFailures.isUndelivered(new WebClientRequestException(AbortedException.beforeSend(),
                HttpMethod.POST, URI.create("http://" + SERVICE + "/x"), new HttpHeaders()))).isTrue();
        assertThat(IgnoredFailures.isUndelivered(new IOException("Connection reset by peer"))).isFalse();
    }

    /** A host that does not answer at all cannot be had here; the exception Reactor Netty gives for it can. */
    @Test
    void aConnectTimeOutIsAFailureWhereARefusalIsNot() {
        var timedOut = new WebClientRequestException(new ConnectTimeoutException("connection timed out after 1000 ms"),
                org.springframework.http.HttpMethod.GET, java.net.URI.create("http://" + SERVICE), new HttpHeaders());
        var refused = new WebClientRequestException(new java.net.ConnectException("Connection refused"),
                org.springframework.http.HttpMethod.GET, java.net.URI.create("http://" + SERVICE), new HttpHeaders());
        assertThat(new IgnoredFailures().test(timedOut)).isFalse();
        assertThat(new RemoteFailures().test(timedOut)).isTrue();
        assertThat(new IgnoredFailures().test(refused)).isTrue();
    }

    // ---- successes

    @Test
    void anAnswerBelow500IsASuccess() {
        for (String status : List.of("404", "400", "200")) {
            StepVerifier.create(calls.once(get(up(), "/answer/" + status)).onErrorResume(ApiException.class, e -> Mono.empty()))
                    .verifyComplete();
        }
        assertCounted(0, 3);
    }

    // ---- not counted

    @Test
    void aRefusedConnectionIsNotCountedButIsRetriedAndAnswered503WithRetryAfter() {
        WebClient stopped = client(instance(FreePorts.freePort()));
        StepVerifier.create(calls.idempotent(get(stopped, "/answer/200")))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ApiException.class);
                    ApiException problem = (ApiException) error;
                    assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(problem.getBody().getDetail()).isEqualTo(SERVICE + " is unavailable: it refused the connection");
                    assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                })
                .verify(Duration.ofSeconds(10));
        assertCounted(0, 0);
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
        assertThat(retries.retry(SERVICE).getMetrics().getNumberOfFailedCallsWithRetryAttempt()).as("retried").isEqualTo(1);
    }

    @Test
    void noInstanceIsNotCountedNorRetried() {
        StepVerifier.create(calls.idempotent(get(client(), "/answer/200")))
                .expectErrorSatisfies(error -> assertThat(((ApiException) error).getBody().getDetail())
                        .isEqualTo(SERVICE + " is unavailable: the load balancer has no instance of it"))
                .verify(Duration.ofSeconds(10));
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
        Retry.Metrics retried = retries.retry(SERVICE).getMetrics();
        assertThat(retried.getNumberOfFailedCallsWithoutRetryAttempt()).as("not retried").isEqualTo(1);
    }

    @Test
    void aCallTheClientCancelsIsNotCounted() {
        int before = HANGING.get();
        StepVerifier.create(calls.once(get(up(), "/hang")))
                .then(() -> await().atMost(Duration.ofSeconds(5)).until(() -> HANGING.get() > before))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    // ---- the outage this is for

    @Test
    void aStoppedBackendNeverOpensTheBreakerAndTheFirstCallAfterItIsBackGoesThrough() {
        int port = FreePorts.freePort();
        WebClient client = client(instance(port));
        for (int i = 0; i < 10; i++) {
            StepVerifier.create(calls.once(get(client, "/answer/200"))).expectError(ApiException.class).verify(Duration.ofSeconds(10));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        DisposableServer restarted = HttpServer.create().host("127.0.0.1").port(port)
                .route(routes -> routes.get("/answer/{status}", (request, response) -> response.status(200).send()))
                .bindNow();
        try {
            StepVerifier.create(calls.once(get(client, "/answer/200"))).verifyComplete();
        }
        finally {
            restarted.disposeNow();
        }
    }

    @Test
    void refusedCallsNeitherReopenNorCloseAHalfOpenBreaker() {
        breaker.transitionToOpenState();
        breaker.transitionToHalfOpenState();
        WebClient stopped = client(instance(FreePorts.freePort()));
        for (int i = 0; i < 5; i++) {
            StepVerifier.create(calls.once(get(stopped, "/answer/200"))).expectError(ApiException.class).verify(Duration.ofSeconds(10));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        for (int i = 0; i < breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState(); i++) {
            StepVerifier.create(calls.once(get(up(), "/answer/200"))).verifyComplete();
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void whenTheBreakerRefusesRetryAfterIsItsWaitInTheOpenState() {
        breaker.transitionToOpenState();
        StepVerifier.create(calls.once(get(up(), "/answer/200")))
                .expectErrorSatisfies(error -> assertThat(((ApiException) error).getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                        .isEqualTo(Long.toString(CircuitBreakerConfig.DEFAULT_WAIT_DURATION_IN_OPEN_STATE)))
                .verify(Duration.ofSeconds(10));
    }
}
