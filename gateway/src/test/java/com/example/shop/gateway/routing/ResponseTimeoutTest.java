package com.example.shop.gateway.routing;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;

/**
 * A backend that stops answering midway holds no client for longer than the route's time
 * ({@code shop.backends.route-timeout}, 2 s here): silent from the start, or after its headers, the client gets a 504
 * problem+json naming it. Silent after part of its body, it is a 504 too: the gateway holds a GET's answer
 * whole before it sends it (to tag it, {@code ConditionalGetFilter}), so nothing of it has gone out yet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.loadbalancer.configurations=default",
        "shop.backends.route-timeout=2s"})
class ResponseTimeoutTest {

    static final String HEADERS_ONLY = id('b', 1);

    static final String PART_OF_THE_BODY = id('b', 2);

    static final String NOTHING = id('b', 3);

    static final String WHOLE = id('b', 4);

    /** A product-service that answers as its path says: whole, or headers and then nothing, or half and then nothing. */
    static final DisposableServer PRODUCTS = HttpServer.create().port(0)
            .route(routes -> routes
                    .get("/products/" + WHOLE, (request, response) -> response.header("Content-Type", "application/json")
                            .sendString(Mono.just(product(4, 1))))
                    .get("/products/" + HEADERS_ONLY, (request, response) -> response
                            .header("Content-Type", "application/json").header("Content-Length", "200")
                            .sendHeaders().then(Mono.never()))
                    .get("/products/" + PART_OF_THE_BODY, (request, response) -> response
                            .header("Content-Type", "application/json").header("Content-Length", "200")
                            .sendString(Flux.concat(Mono.just("{\"id\":\"" + PART_OF_THE_BODY + "\","), Mono.never())))
                    .get("/products/" + NOTHING, (request, response) -> Mono.never()))
            .bindNow();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("shop.remote.user-service", () -> "http://localhost:" + PRODUCTS.port());
        registry.add("shop.remote.product-service", () -> "http://localhost:" + PRODUCTS.port());
    }

    @AfterAll
    static void stopBackend() {
        PRODUCTS.disposeNow();
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        // far longer than the gateway's timeout: what ends the exchange must be the gateway
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30))
                .build();
        // the first routed call of a JVM is slow; keep it out of the time limits under test
        client.get().uri("/api/products/" + WHOLE).exchange().expectStatus().isOk();
    }

    @Test
    void aBackendSilentAfterItsHeadersIs504NamingIt() {
        client.get().uri("/api/products/" + HEADERS_ONLY).exchange()
                .expectStatus().isEqualTo(504)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.backend").isEqualTo("product-service")
                .jsonPath("$.detail").isEqualTo("product-service did not answer in time");
    }

    @Test
    void aBackendSilentFromTheStartIs504NamingIt() {
        client.get().uri("/api/products/" + NOTHING).exchange()
                .expectStatus().isEqualTo(504)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.backend").isEqualTo("product-service");
    }

    @Test
    void aBackendSilentAfterPartOfItsBodyIs504NamingIt() {
        client.get().uri("/api/products/" + PART_OF_THE_BODY).exchange()
                .expectStatus().isEqualTo(504)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.backend").isEqualTo("product-service");
    }
}
