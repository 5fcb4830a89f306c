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
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's mistake or hang-up is not the backend's failure: what the gateway's circuit breaker on
 * user-service records when clients misbehave. user-service is played by a small server that, as the
 * real services do with a body over their limit, answers 413 at once without reading the body and
 * closes the connection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // bodies the gateway lets through (and room to hold one), so that the backend is the one to refuse them
        "shop.web.max-body-size=16MB",
        "shop.gateway.requests.body-budget=16MB",
        "spring.cloud.loadbalancer.configurations=default"})
class ClientSideFailuresTest {

    static final DisposableServer USERS = HttpServer.create().host("localhost").port(0)
            .route(routes -> routes
                    .post("/users", (request, response) -> response.status(413).keepAlive(false)
                            .header("Content-Type", "application/problem+json").sendString(Mono.just("{\"status\":413}"))))
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
    void bodiesTheBackendRefusesMidUploadDoNotCountAgainstIt() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
        byte[] body = new byte[8 * 1024 * 1024];

        for (int i = 0; i < 5; i++) {
            // the backend's 413, or the gateway's 400 when the connection closed before that answer came: never a 503
            client.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().is4xxClientError();
        }

        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
