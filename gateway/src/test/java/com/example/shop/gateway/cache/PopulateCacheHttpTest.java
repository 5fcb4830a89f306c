package com.example.shop.gateway.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entity cache through the gateway, with WireMock as the services and the cache on (a TTL long enough
 * that only a write can make an entry stale within a test): the cache serves repeated lookups, a client
 * reads its own writes, and one user's whole view never reaches another user.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.populate.cache.ttl=1m",
        "spring.cloud.loadbalancer.configurations=default"})
class PopulateCacheHttpTest {

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
    MeterRegistry registry;

    /**
     * One token per user for the whole test class: a token carries the second it was issued, so two tokens
     * made for the same user a second apart differ, and the stub below must match the one the client sends.
     */
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private static String token(String userId) {
        return TOKENS.computeIfAbsent(userId, TestSecurity::userToken);
    }

    private WebTestClient as(String userId) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token(userId))
                .build();
    }

    /**
     * User-service's batch lookup of user {@code n} as it answers it: to the user itself whole (email, cart),
     * to anyone else the public view.
     */
    private static void userIs(int n, String name) {
        String whole = "[{\"id\":\"" + id('a', n) + "\",\"name\":\"" + name + "\",\"email\":\"u" + n
                + "@example.com\",\"cart\":{\"items\":[]}}]";
        USERS.stubFor(get(urlPathEqualTo("/users")).withQueryParam("ids", equalTo(id('a', n)))
                .willReturn(okJson("[{\"id\":\"" + id('a', n) + "\",\"name\":\"" + name + "\"}]")));
        USERS.stubFor(get(urlPathEqualTo("/users")).withQueryParam("ids", equalTo(id('a', n)))
                .withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + token(id('a', n))))
                .atPriority(1)
                .willReturn(okJson(whole)));
    }

    private static int userLookups(int n) {
        return USERS.findAll(getRequestedFor(urlPathEqualTo("/users")).withQueryParam("ids", equalTo(id('a', n)))).size();
    }

    private static void productOf(int product, int owner) {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', product))).willReturn(okJson(product(product, owner))));
    }

    private double invalidations() {
        var counter = registry.find("gateway.populate.cache.invalidations").tag("resource", "user").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aClientReadsItsOwnWriteThroughTheCache() {
        WebTestClient owner = as(id('a', 11));
        userIs(11, "before");
        productOf(11, 11);
        String populated = "/api/products/" + id('b', 11) + "?populate=userId";
        owner.get().uri(populated).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId.name").isEqualTo("before");
        owner.get().uri(populated).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId.name").isEqualTo("before");
        assertThat(userLookups(11)).as("the repeat was served from the cache").isEqualTo(1);
        double invalidationsBefore = invalidations();

        USERS.resetMappings(); // the journal stays
        USERS.stubFor(patch(urlPathEqualTo("/users/" + id('a', 11)))
                .willReturn(okJson("{\"id\":\"" + id('a', 11) + "\",\"name\":\"after\"}")));
        userIs(11, "after");
        owner.patch().uri("/api/users/" + id('a', 11)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"after\"}").exchange().expectStatus().isOk();

        owner.get().uri(populated).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId.name").isEqualTo("after");
        assertThat(userLookups(11)).isEqualTo(2);
        assertThat(invalidations()).isEqualTo(invalidationsBefore + 1);
    }

    @Test
    void anotherUsersPrivateDataIsNeverServedFromTheCache() {
        userIs(12, "twelve");
        productOf(12, 12);
        String populated = "/api/products/" + id('b', 12) + "?populate=userId";

        as(id('a', 12)).get().uri(populated).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId.email").isEqualTo("u12@example.com")
                .jsonPath("$.userId.cart").exists();
        as(id('a', 13)).get().uri(populated).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId.name").isEqualTo("twelve")
                .jsonPath("$.userId.email").doesNotExist()
                .jsonPath("$.userId.cart").doesNotExist();
        WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .get().uri(populated).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.userId.name").isEqualTo("twelve")
                .jsonPath("$.userId.email").doesNotExist();

        assertThat(userLookups(12)).as("one lookup per viewer").isEqualTo(3);
        assertThat(PRODUCTS.findAll(getRequestedFor(urlPathEqualTo("/products/" + id('b', 12))))).hasSize(3);
    }
}
