package com.example.shop.user;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.store.EntityIndexes;
import com.example.shop.testing.WireMockBackend;
import com.example.shop.user.auth.domain.LoginAttempts;
import com.example.shop.user.user.domain.User;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP tests of user-service share: one application context (the embedded store in memory,
 * product-service played by WireMock), a clean store before each test, and callers with tokens. Every
 * subclass with no configuration of its own runs in the same cached context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"shop.store.embedded.backend=memory",
                "resilience4j.timelimiter.instances.product-service.timeout-duration=1s",
                // WireMock has no readiness endpoint for the load balancer's health checks
                "spring.cloud.loadbalancer.configurations=default"})
// generous: a loaded 2-core machine can take seconds for an answer; these tests are about behaviour, not speed
@AutoConfigureWebTestClient(timeout = "30s")
abstract class ApiTestSupport {

    /** A password that passes the sign-up rules. */
    static final String PASSWORD = "correct horse battery";

    /** product-service's endpoint that deletes a deleted user's products: this, the user's id, {@code /products}. */
    static final String DELETE_PRODUCTS_OF = "/internal/users/";

    /** Not registered as an extension: the subclasses' cached context keeps calling it from class to class. */
    static final WireMockBackend productService = WireMockBackend.onFreePort();

    @DynamicPropertySource
    static void productServiceUrl(DynamicPropertyRegistry registry) {
        registry.add("shop.remote.product-service", productService::baseUrl);
    }

    @Autowired
    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    EntityIndexes indexes;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    /**
     * A client of the management port (health, metrics; the public port has none), without a token. The port
     * is read when asked for, not injected once: the test framework pauses a cached context while other
     * contexts run, and on restart the management server of a context started on port 0 binds a new random
     * port (the main server keeps its own), so a {@code @LocalManagementPort} injected earlier can be stale.
     */
    WebTestClient management() {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + environment.getRequiredProperty("local.management.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @BeforeEach
    void cleanSlate() {
        indexes.ready().as(StepVerifier::create).verifyComplete();
        mongo.remove(new Query(), User.class).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        mongo.remove(new Query(), LoginAttempts.class).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        circuitBreakers.getAllCircuitBreakers().forEach(cb -> cb.reset());
        productService.resetAll();
        // every product exists, for callers that show user-service's service credential
        productService.stubFor(get(urlPathMatching("/products/[0-9a-f]{24}"))
                .withHeader(HttpHeaders.AUTHORIZATION, matching("Bearer .+"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{}")));
        // a deleted user's products are deleted (UserCleanup's call)
        productService.stubFor(delete(urlPathMatching(DELETE_PRODUCTS_OF + ".*"))
                .withHeader(HttpHeaders.AUTHORIZATION, matching("Bearer .+"))
                .willReturn(okJson("{\"userId\":\"x\",\"productsDeleted\":0}")));
    }

    /** Signs a user up (open to all) and returns the new id. */
    String createUser(String name, String email) {
        return web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "email", email, "password", PASSWORD)).exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    /** A client that calls as the user {@code userId}, with a valid access token. */
    WebTestClient as(String userId) {
        return withToken(TestSecurity.userToken(userId));
    }

    /** A client that calls with product-service's service credential (signed with its own key). */
    WebTestClient asService() {
        return withToken(TestSecurity.serviceToken("product-service"));
    }

    WebTestClient withToken(String token) {
        return web.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    static void expectProblem(WebTestClient.ResponseSpec response, HttpStatus status, String field) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.errors[*].field").value(fields -> assertThat((List<String>) fields).contains(field))
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains(field));
    }

    long userCount() {
        return mongo.count(new Query(), User.class).block(Duration.ofSeconds(30));
    }
}
