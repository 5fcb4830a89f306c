package com.example.shop.gateway.docs;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.gateway.BackendDocuments;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.populate.ResourceSchema;
import com.example.shop.gateway.remote.BackendClients;
import com.example.shop.gateway.web.GatewayJson;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The public API's document is kept and refreshed, not rebuilt with two backend calls per request
 * (counted in WireMock's request journal), and a backend that cannot answer never replaces a whole
 * document with a partial one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.api-docs.refresh=1h",
        "resilience4j.retry.configs.default.wait-duration=10ms",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000",
        // one instance per backend: no readiness checks to stub
        "spring.cloud.loadbalancer.configurations=default"})
class ApiDocumentTest {

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort();

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    @Autowired
    BackendClients backends;

    @Autowired
    PublicApi api;

    @Autowired
    ResourceSchema schema;

    @Autowired
    Planner planner;

    @Autowired
    GatewayJson json;

    private static MappingBuilder apiDocs() {
        return get(urlPathEqualTo("/v3/api-docs"));
    }

    private static String document(String... paths) {
        return "{\"openapi\":\"3.1.0\",\"paths\":{" + String.join(",", List.of(paths).stream()
                .map(path -> "\"" + path + "\":{\"get\":{\"responses\":{\"200\":{\"description\":\"OK\"}}}}")
                .toList()) + "}}";
    }

    private static int apiDocsCalls(WireMockBackend backend) {
        return backend.findAll(getRequestedFor(urlPathEqualTo("/v3/api-docs"))).size();
    }

    /** A document of its own, refreshed every {@code refresh}, over the context's backends. */
    private ApiDocument apiDocument(Duration refresh) {
        return new ApiDocument(List.copyOf(backends.all()), api, planner.maxDepth(), json, refresh);
    }

    private static JsonNode paths(ApiDocument document) {
        ObjectNode built = document.document().block(Duration.ofSeconds(10));
        assertThat(built).isNotNull();
        return built.path("paths");
    }

    @BeforeEach
    void backendsAnswer() {
        USERS.stubFor(apiDocs().willReturn(okJson(document("/users/{id}"))));
        PRODUCTS.stubFor(apiDocs().willReturn(okJson(document("/products"))));
    }

    @Test
    void requestsWithinTheRefreshIntervalAskTheBackendsForTheirDocumentsOnce() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        for (int i = 0; i < 5; i++) {
            client.get().uri(ApiDocsConfiguration.DOCUMENT_PATH).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.paths['/api/users/{id}']").exists()
                    .jsonPath("$.paths['/api/products']").exists();
        }

        assertThat(apiDocsCalls(USERS)).isEqualTo(1);
        assertThat(apiDocsCalls(PRODUCTS)).isEqualTo(1);
    }

    @Test
    void aRefreshPicksUpAChangeOfABackendsDocument() {
        ApiDocument document = apiDocument(Duration.ofMillis(300));
        assertThat(paths(document).has("/api/users/{id}/cart")).isFalse();

        USERS.stubFor(apiDocs().willReturn(okJson(document("/users/{id}", "/users/{id}/cart"))));

        await().atMost(Duration.ofSeconds(10)).until(() -> paths(document).has("/api/users/{id}/cart"));
    }

    @Test
    void aBackendThatCannotAnswerLeavesTheLastWholeDocumentInPlace() {
        ApiDocument document = apiDocument(Duration.ofMillis(300));
        assertThat(paths(document).has("/api/users/{id}")).isTrue();

        USERS.stubFor(apiDocs().willReturn(serviceUnavailable()));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            paths(document);
            return apiDocsCalls(USERS) > 1;
        });

        // refreshes keep failing meanwhile: each leaves the whole document as it was
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> paths(document).has("/api/users/{id}"));
        assertThat(document.document().block(Duration.ofSeconds(10)).path("info").path("description").asString())
                .doesNotContain("Not available");
    }

    @Test
    void withoutAWholeDocumentEachRequestHasOneBuiltAndNothingIsKept() {
        USERS.stubFor(apiDocs().willReturn(serviceUnavailable()));
        ApiDocument document = apiDocument(Duration.ofHours(1));

        ObjectNode partial = document.document().block(Duration.ofSeconds(10));
        assertThat(partial.path("paths").has("/api/products")).isTrue();
        assertThat(partial.path("paths").has("/api/users/{id}")).isFalse();
        assertThat(partial.path("info").path("description").asString()).contains("Not available just now")
                .contains("user-service");
        int calls = apiDocsCalls(USERS);

        USERS.stubFor(apiDocs().willReturn(okJson(document("/users/{id}"))));

        assertThat(paths(document).has("/api/users/{id}")).isTrue();
        assertThat(apiDocsCalls(USERS)).isGreaterThan(calls);
    }

    @Test
    void aPopulatableGetDescribesEachPathAndTheOptionsOfItsListsFromTheSchema() {
        JsonNode parameter = paths(apiDocument(Duration.ofMinutes(1))).path("/api/users/{id}").path("get")
                .path("parameters").valueStream()
                .filter(p -> p.path("name").asString().equals("populate")).findFirst().orElseThrow();

        assertThat(parameter.path("description").asString())
                .contains("[ \"[\" option (\";\" option)* \"]\" ]", "limit=1..100", "skip=0..1000",
                        "field=operator.value", "products[price=gte.100;sort=-price;skip=3;limit=3]",
                        "products[price=gte.100;count]")
                .contains("- `products`: a list of the product documents whose `userId` is this document's id; "
                        + "options filters `title` (eq, in, prefix), `price` (eq, in, gt, gte, lt, lte), `userId` (eq, in), "
                        + "`sort` (`price`, `title`), `skip` (0-1000 per parent document, default 0), "
                        + "`limit` (1-100 per parent document, default 100), `count`")
                .contains("- `cart.items.productId`: the product it refers to");
        JsonNode self = parameter.path("x-populate");
        assertThat(self.path("maxDepth").asInt()).isEqualTo(planner.maxDepth());
        List<String> described = self.path("paths").valueStream().map(p -> p.path("path").asString()).toList();
        assertThat(described).isEqualTo(schema.paths("user", planner.maxDepth()));
        JsonNode products = self.path("paths").valueStream().filter(p -> p.path("path").asString().equals("products"))
                .findFirst().orElseThrow();
        assertThat(products.path("list").asBoolean()).isTrue();
        assertThat(products.path("target").asString()).isEqualTo("product");
        assertThat(products.path("options").path("sort").path("fields").valueStream().map(JsonNode::asString))
                .containsExactly("price", "title");
        assertThat(products.path("options").path("limit").path("maximum").asInt()).isEqualTo(100);
        assertThat(products.path("options").has("count")).isTrue();
        assertThat(products.path("options").path("skip").path("maximum").asInt()).isEqualTo(1000);
        JsonNode filters = products.path("options").path("filters");
        assertThat(filters.propertyNames()).containsExactly("title", "price", "userId");
        assertThat(filters.path("price").path("operators").valueStream().map(JsonNode::asString))
                .containsExactly("eq", "in", "gt", "gte", "lt", "lte");
        assertThat(filters.path("title").path("maxLength").asInt()).isEqualTo(200);
        assertThat(filters.path("userId").path("type").asString()).isEqualTo("id");
    }

    @Test
    void aWriteThatAnswersTheDocumentItWroteTakesPopulateAndADeleteDoesNot() {
        String operation = "{\"responses\":{\"200\":{\"description\":\"OK\"}}}";
        USERS.stubFor(apiDocs().willReturn(okJson("{\"openapi\":\"3.1.0\",\"paths\":{"
                + "\"/users/{userId}/cart/items\":{\"post\":" + operation + "},"
                + "\"/users/{userId}/cart/items/{productId}\":{\"put\":" + operation + ",\"delete\":" + operation + "}}}")));

        JsonNode paths = paths(apiDocument(Duration.ofMinutes(1)));

        JsonNode add = paths.path("/api/users/{userId}/cart/items").path("post");
        JsonNode parameter = add.path("parameters").valueStream()
                .filter(p -> p.path("name").asString().equals("populate")).findFirst().orElseThrow();
        assertThat(parameter.path("description").asString()).contains(ApiDocument.WRITE, "Paths of a cart",
                "- `items.productId`: the product it refers to");
        assertThat(add.path("responses").path("200").path("headers").has("Populate-Unresolved")).isTrue();
        JsonNode item = paths.path("/api/users/{userId}/cart/items/{productId}");
        assertThat(item.path("put").path("parameters").valueStream().map(p -> p.path("name").asString()))
                .contains("populate");
        assertThat(item.path("delete").path("parameters").valueStream().map(p -> p.path("name").asString()))
                .doesNotContain("populate");
    }

    @Test
    void everyGetTakesIfNoneMatchAndAnswersWithAnEtagOrA304() {
        JsonNode get = paths(apiDocument(Duration.ofMinutes(1))).path("/api/products").path("get");

        assertThat(get.path("parameters").valueStream().map(p -> p.path("name").asString() + " in " + p.path("in").asString()))
                .contains("If-None-Match in header");
        assertThat(get.path("responses").path("200").path("headers").has("ETag")).isTrue();
        assertThat(get.path("responses").path("304").path("description").asString()).startsWith("Not Modified");
    }
}
