package com.example.shop.gateway.web;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.gateway.docs.ApiDocsConfiguration;
import com.example.shop.gateway.routing.PopulateGatewayFilterFactory;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.example.shop.gateway.BackendDocuments.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional GETs through the gateway over HTTP, with WireMock standing in for both services: an {@code ETag}
 * on every successful GET (routed, populated, the gateway's own), a 304 for a client that has the answer, a new
 * tag when any document in the answer changes, and nothing of it on partial answers, failures and writes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience4j.retry.configs.default.wait-duration=10ms",
        // no populate cache: the tests change what a backend answers behind the gateway's back, not by a write
        // it routes, and a kept owner would hide the change (as it should)
        "shop.populate.cache.ttl=0",
        "spring.cloud.loadbalancer.configurations=default"})
class ConditionalGetTest {

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort();

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    static final String LAMP = "/api/products/" + id('b', 1);

    static final String PRIVATE = "no-cache, private";

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    WebTestClient anonymous;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        anonymous = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        client = anonymous.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(id('a', 1)))
                .build();
        circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    private static void lampIs(String product) {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 1))).willReturn(okJson(product)));
    }

    private static void ownerIs(String owner) {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[" + owner + "]")));
    }

    /** A successful GET's tag, after checking that it comes with the cache headers of a caller with a token. */
    private String etagOf(String uri) {
        return client.get().uri(uri).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, PRIVATE)
                .expectHeader().valueEquals(HttpHeaders.VARY, HttpHeaders.AUTHORIZATION)
                .expectHeader().doesNotExist(HttpHeaders.PRAGMA)
                .expectHeader().doesNotExist(HttpHeaders.EXPIRES)
                .expectBody().returnResult().getResponseHeaders().getETag();
    }

    private void expectNotModified(WebTestClient caller, String uri, String ifNoneMatch, String etag, String cacheControl) {
        caller.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, ifNoneMatch).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, cacheControl)
                .expectHeader().valueEquals(HttpHeaders.VARY, HttpHeaders.AUTHORIZATION)
                .expectBody().isEmpty();
    }

    @Test
    void aRoutedGetCarriesAStrongETagAndIsA304ForAClientThatHasIt() {
        lampIs(product(1, 1));

        String etag = etagOf(LAMP);

        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
        expectNotModified(client, LAMP, etag, etag, PRIVATE);
        expectNotModified(client, LAMP, "\"older\", W/" + etag, etag, PRIVATE);
        expectNotModified(client, LAMP, "*", etag, PRIVATE);
    }

    @Test
    void anAnswerStreamedInPartsIsTaggedWhole() {
        String list = "[" + product(1, 1) + "," + product(2, 1) + "]";
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(list).withChunkedDribbleDelay(4, 40)));
        String uri = "/api/products?ids=" + id('b', 1) + "," + id('b', 2);

        String etag = client.get().uri(uri).exchange()
                .expectStatus().isOk()
                .expectBody().json(list, JsonCompareMode.STRICT)
                .returnResult().getResponseHeaders().getETag();

        assertThat(etag).isNotNull();
        expectNotModified(client, uri, etag, etag, PRIVATE);
    }

    @Test
    void whenTheBackendsAnswerChangesTheETagChangesAndTheOldOneGetsTheNewAnswer() {
        lampIs(product(1, 1));
        String etag = etagOf(LAMP);
        lampIs(product(1, 1).replace("19.90", "24.90"));

        client.get().uri(LAMP).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ETAG, newTag -> assertThat(newTag).isNotEqualTo(etag))
                .expectBody().jsonPath("$.price").isEqualTo(24.90);
    }

    @Test
    void aPopulatedGetIsTaggedAsPopulatedAndAChangedOwnerChangesItsTag() {
        lampIs(product(1, 1));
        ownerIs(user(1));
        String populated = LAMP + "?populate=userId";
        String etag = etagOf(populated);
        assertThat(etag).isNotEqualTo(etagOf(LAMP));
        expectNotModified(client, populated, etag, etag, PRIVATE);

        ownerIs(user(1).replace("user 1", "Ada King"));

        client.get().uri(populated).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ETAG, newTag -> assertThat(newTag).isNotEqualTo(etag))
                .expectBody().jsonPath("$.userId.name").isEqualTo("Ada King");
    }

    @Test
    void aPartialAnswerCarriesNoETagAndIsNeverA304() {
        lampIs(product(1, 1));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(aResponse().withStatus(500)));

        client.get().uri(LAMP + "?populate=userId").header(HttpHeaders.IF_NONE_MATCH, "*").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId")
                .expectHeader().doesNotExist(HttpHeaders.ETAG)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate")
                .expectBody().jsonPath("$.userId").isEqualTo(id('a', 1));
    }

    /**
     * Populate tells this filter that an answer is partial in the exchange's attributes: the header that once
     * carried it, sent by a client or answered by a backend, changes nothing (the answer is tagged, a 304 for a
     * client that has it; a populated answer that is whole names nothing unresolved).
     */
    @Test
    void aPopulateUnresolvedHeaderFromTheClientOrABackendChangesNothing() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 1))).willReturn(okJson(product(1, 1))
                .withHeader(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId")));
        String etag = etagOf(LAMP);

        client.get().uri(LAMP).header(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId")
                .header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag);
        lampIs(product(1, 1));
        ownerIs(user(1));
        client.get().uri(LAMP + "?populate=userId").header(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectBody().jsonPath("$.userId.name").isEqualTo("user 1");
    }

    @Test
    void anAnonymousReadMayBeKeptByAnyCacheThatRevalidates() {
        lampIs(product(1, 1));

        String etag = anonymous.get().uri(LAMP).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                .expectHeader().valueEquals(HttpHeaders.VARY, HttpHeaders.AUTHORIZATION)
                .expectBody().returnResult().getResponseHeaders().getETag();

        expectNotModified(anonymous, LAMP, etag, etag, "no-cache");
    }

    @Test
    void theGatewaysOwnAnswerIsTaggedToo() {
        String document = "{\"openapi\":\"3.1.0\",\"paths\":{}}";
        USERS.stubFor(get(urlPathEqualTo("/v3/api-docs")).willReturn(okJson(document)));
        PRODUCTS.stubFor(get(urlPathEqualTo("/v3/api-docs")).willReturn(okJson(document)));

        String etag = etagOf(ApiDocsConfiguration.DOCUMENT_PATH);

        assertThat(etag).isNotNull();
        expectNotModified(client, ApiDocsConfiguration.DOCUMENT_PATH, etag, etag, PRIVATE);
    }

    @Test
    void aWriteIsUntouched() {
        PRODUCTS.stubFor(post(urlPathEqualTo("/products")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(product(1, 1))));

        client.post().uri("/api/products").header(HttpHeaders.IF_NONE_MATCH, "*")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(product(1, 1)).exchange()
                .expectStatus().isCreated()
                .expectHeader().doesNotExist(HttpHeaders.ETAG)
                .expectBody().json(product(1, 1), JsonCompareMode.STRICT);
    }

    @Test
    void aBackendsProblemAndTheGatewaysOwnFailuresAreUntouched() {
        String problem = "{\"status\":404,\"detail\":\"product not found\"}";
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 1))).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody(problem)));

        client.get().uri(LAMP).header(HttpHeaders.IF_NONE_MATCH, "*").exchange()
                .expectStatus().isNotFound()
                .expectHeader().doesNotExist(HttpHeaders.ETAG)
                .expectBody().json(problem, JsonCompareMode.STRICT);

        circuitBreakers.circuitBreaker("product-service").transitionToOpenState();
        client.get().uri(LAMP).header(HttpHeaders.IF_NONE_MATCH, "*").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().doesNotExist(HttpHeaders.ETAG)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
