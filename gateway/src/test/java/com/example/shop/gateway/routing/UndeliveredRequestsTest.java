package com.example.shop.gateway.routing;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that never reached the backend whole is not the backend's failure, nor the client's: user-service
 * is played by a small server that closes the connection as soon as a body's first part comes, as a backend
 * that stops gracefully closes its kept-alive connections. The client gets a 503 naming user-service with
 * {@code Retry-After}, never a 400: its request was fine. (Whether the breaker counts it depends on how far the
 * body had got, which shop-remote's {@code WhatTheBreakerCountsTest} pins down: a body still on its way is not
 * counted; one handed whole to the connection may have reached the backend, and is.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // a body large enough to be on its way in parts when the backend closes the connection
        "shop.web.max-body-size=16MB",
        "shop.gateway.requests.body-budget=16MB",
        "spring.cloud.loadbalancer.configurations=default"})
class UndeliveredRequestsTest {

    static final DisposableServer USERS = HttpServer.create().host("localhost").port(0)
            .route(routes -> routes
                    .post("/users", (request, response) -> request.receive().take(1)
                            .doOnNext(part -> response.withConnection(connection -> connection.channel().close()))
                            .then(Mono.never())))
            .bindNow();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("shop.remote.user-service", () -> "http://localhost:" + USERS.port());
        registry.add("shop.remote.product-service", () -> "http://localhost:1");
    }

    @AfterAll
    static void stopBackend() {
        USERS.disposeNow();
    }

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    CircuitBreaker breaker;

    @BeforeEach
    void setUp() {
        breaker = circuitBreakers.circuitBreaker("user-service");
        breaker.reset();
    }

    @Test
    void aRequestTheBackendClosedTheConnectionOnIsA503WithRetryAfter() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
        byte[] body = new byte[8 * 1024 * 1024];

        for (int i = 0; i < 5; i++) {
            client.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectBody().jsonPath("$.backend").isEqualTo("user-service")
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("user-service is unavailable"));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
