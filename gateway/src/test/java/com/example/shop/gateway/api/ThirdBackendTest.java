package com.example.shop.gateway.api;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.testing.WireMockBackend;
import com.example.shop.gateway.docs.ApiDocsConfiguration;
import com.example.shop.gateway.web.GatewayJson;

import static com.example.shop.gateway.BackendDocuments.id;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third backend declared in this test's properties alone (category-service, serving {@code category} at
 * {@code /categories}, reads open, documents alike for all), with a reference from products to it: the gateway
 * routes it, applies its access rules, populates products' {@code categoryId} in one batch, makes a cached
 * category stale when it is written through the gateway, and puts its paths into the API document, decorated,
 * with no code of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.api.backends.category-service.anonymous-lookups=nothing",
        "shop.api.resources.category.backend=category-service",
        "shop.api.resources.category.path=/categories",
        "shop.api.resources.category.lookup=/categories",
        "shop.api.resources.category.open[0]=GET /api/categories",
        "shop.api.resources.category.open[1]=GET /api/categories/{id}",
        "shop.api.resources.category.shared=true",
        "shop.api.resources.product.references[categoryId]=category",
        // on, and long enough that only a write makes an entry stale within the test
        "shop.populate.cache.ttl=1m",
        // one instance per backend: no readiness checks to stub
        "spring.cloud.loadbalancer.configurations=default"})
class ThirdBackendTest {

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort();

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    @RegisterExtension
    static final WireMockBackend CATEGORIES = WireMockBackend.onFreePort();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
        registry.add("shop.remote.category-service", CATEGORIES::baseUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    GatewayJson json;

    @Autowired
    MeterRegistry registry;

    private WebTestClient anonymous() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    private static String category(int n, String name) {
        return "{\"id\":\"" + id('c', n) + "\",\"name\":\"" + name + "\"}";
    }

    private static String product(int n, int category) {
        return "{\"id\":\"" + id('b', n) + "\",\"title\":\"product " + n + "\",\"userId\":\"" + id('a', 1)
                + "\",\"categoryId\":\"" + id('c', category) + "\"}";
    }

    /** Category-service's batch lookup of category {@code n}, alone. */
    private static void categoryIs(int n, String name) {
        CATEGORIES.stubFor(get(urlPathEqualTo("/categories")).withQueryParam("ids", equalTo(id('c', n)))
                .willReturn(okJson("[" + category(n, name) + "]")));
    }

    private static List<String> categoryLookups() {
        return CATEGORIES.findAll(getRequestedFor(urlPathEqualTo("/categories"))).stream()
                .map(request -> request.queryParameter("ids").firstValue()).toList();
    }

    @BeforeEach
    void reset() {
        CATEGORIES.resetAll();
        PRODUCTS.resetAll();
    }

    @Test
    void aReadOfTheThirdBackendIsRoutedToItAndOpenToAnyone() {
        CATEGORIES.stubFor(get(urlPathEqualTo("/categories/" + id('c', 1))).willReturn(okJson(category(1, "books"))));

        anonymous().get().uri("/api/categories/" + id('c', 1)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("books");

        assertThat(CATEGORIES.findAll(getRequestedFor(urlPathEqualTo("/categories/" + id('c', 1))))).hasSize(1);
    }

    @Test
    void aWriteWithoutATokenIsTurnedAwayBeforeTheThirdBackend() {
        anonymous().patch().uri("/api/categories/" + id('c', 1)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"x\"}").exchange()
                .expectStatus().isUnauthorized();

        assertThat(CATEGORIES.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void productsReferencesToTheThirdBackendArePopulatedInOneBatch() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(
                "[" + product(1, 1) + "," + product(2, 2) + "," + product(3, 1) + "]")));
        CATEGORIES.stubFor(get(urlPathEqualTo("/categories")).willReturn(okJson(
                "[" + category(1, "books") + "," + category(2, "games") + "]")));

        anonymous().get().uri("/api/products?populate=categoryId").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].categoryId.name").isEqualTo("books")
                .jsonPath("$[1].categoryId.name").isEqualTo("games")
                .jsonPath("$[2].categoryId.name").isEqualTo("books");

        assertThat(categoryLookups()).hasSize(1);
        assertThat(categoryLookups().get(0).split(",")).containsExactlyInAnyOrder(id('c', 1), id('c', 2));
    }

    @Test
    void aWriteThroughTheGatewayMakesTheCachedCategoryStale() {
        // a category no other test populates: the cache lives as long as the context
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 7))).willReturn(okJson(product(7, 7))));
        categoryIs(7, "before");
        String populated = "/api/products/" + id('b', 7) + "?populate=categoryId";
        for (int i = 0; i < 2; i++) {
            anonymous().get().uri(populated).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.categoryId.name").isEqualTo("before");
        }
        assertThat(categoryLookups()).as("the repeat was served from the cache").hasSize(1);

        CATEGORIES.stubFor(patch(urlPathEqualTo("/categories/" + id('c', 7))).willReturn(okJson(category(7, "after"))));
        categoryIs(7, "after");
        WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(id('a', 1))).build()
                .patch().uri("/api/categories/" + id('c', 7)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"after\"}").exchange()
                .expectStatus().isOk();
        assertThat(CATEGORIES.findAll(patchRequestedFor(urlPathEqualTo("/categories/" + id('c', 7))))).hasSize(1);

        anonymous().get().uri(populated).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.categoryId.name").isEqualTo("after");
        assertThat(categoryLookups()).hasSize(2);
        assertThat(registry.get("gateway.populate.cache.invalidations").tag("resource", "category").counter().count())
                .isEqualTo(1);
    }

    @Test
    void theThirdBackendsPathsAreInTheApiDocumentDecorated() {
        USERS.stubFor(get(urlPathEqualTo("/v3/api-docs")).willReturn(okJson(
                "{\"openapi\":\"3.1.0\",\"paths\":{\"/users/{id}\":{\"get\":{\"responses\":{\"200\":{\"description\":\"OK\"}}}}}}")));
        PRODUCTS.stubFor(get(urlPathEqualTo("/v3/api-docs")).willReturn(okJson(
                "{\"openapi\":\"3.1.0\",\"paths\":{\"/products/{id}\":{\"get\":{\"responses\":{\"200\":{\"description\":\"OK\"}}}}}}")));
        CATEGORIES.stubFor(get(urlPathEqualTo("/v3/api-docs")).willReturn(okJson("""
                {"openapi": "3.1.0", "paths": {
                  "/categories/{id}": {
                    "get": {"responses": {"200": {"description": "OK"}}},
                    "patch": {"responses": {"200": {"description": "OK"}}}}}}""")));

        byte[] body = anonymous().get().uri(ApiDocsConfiguration.DOCUMENT_PATH).exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        JsonNode document = json.read(body);

        JsonNode category = document.path("paths").path("/api/categories/{id}");
        assertThat(category.path("get").path("security").size()).as("open: with or without a token").isEqualTo(2);
        assertThat(category.path("patch").has("security")).as("a write takes the document's bearer requirement").isFalse();
        assertThat(category.path("get").path("responses").has("304")).isTrue();
        assertThat(document.path("info").path("description").asString())
                .contains("/api/categories/** (category-service)", "GET /api/categories/{id}")
                .doesNotContain("Not available");
        JsonNode populate = document.path("paths").path("/api/products/{id}").path("get").path("parameters")
                .valueStream().filter(parameter -> parameter.path("name").asString().equals("populate"))
                .findFirst().orElseThrow();
        assertThat(populate.path("x-populate").path("paths").valueStream()
                .filter(path -> path.path("path").asString().equals("categoryId"))
                .map(path -> path.path("target").asString()).toList()).containsExactly("category");
    }
}
