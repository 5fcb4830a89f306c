package com.example.shop.gateway.routing;

import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.testing.WireMockBackend;
import com.example.shop.gateway.BackendDocuments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.example.shop.gateway.BackendDocuments.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code populate} on the writes whose answer is the document they wrote (POST, PUT, PATCH), with WireMock
 * standing in for both services: the answer populated under the write's own status, a bad spec refused before
 * anything is written, a failed lookup leaving the write done and the answer marked, a failed write passed on.
 * The populate cache is on (its default), so that a write's lookups are seen to bypass it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience4j.retry.configs.default.wait-duration=10ms",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000",
        "shop.populate.cache.ttl=1m",
        "spring.cloud.loadbalancer.configurations=default"})
class PopulateWritesTest {

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort();

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    private static final String USER = id('a', 1);

    private static final String PRODUCT = id('b', 1);

    private static final String CART = "{\"items\":[{\"productId\":\"" + PRODUCT + "\",\"quantity\":2}]}";

    private static final String USER_WITH_CART = "{\"id\":\"" + USER + "\",\"name\":\"user 1\",\"email\":\"u1@example.com\","
            + "\"cart\":" + CART + "}";

    /**
     * One kind of write: its request at the gateway, what its backend answers, the path populated, the lookup that
     * populates it, and where the populated document shows in the answer.
     */
    record Write(HttpMethod method, String path, String body, WireMockBackend backend, int status, String answer,
            String populate, WireMockBackend lookedUp, String lookup, String populated, String expected) {

        String backendPath() {
            return path.substring("/api".length());
        }

        @Override
        public String toString() {
            return method + " " + path + "?populate=" + populate;
        }
    }

    static Stream<Write> writes() {
        String addItem = "{\"productId\":\"" + PRODUCT + "\",\"quantity\":2}";
        return Stream.of(
                new Write(HttpMethod.POST, "/api/users/" + USER + "/cart/items", addItem, USERS, 200, CART,
                        "items.productId", PRODUCTS, "/products", "$.items[0].productId.title", "product 1"),
                new Write(HttpMethod.PUT, "/api/users/" + USER + "/cart/items/" + PRODUCT, "{\"quantity\":2}", USERS, 200,
                        CART, "items.productId", PRODUCTS, "/products", "$.items[0].productId.title", "product 1"),
                new Write(HttpMethod.PATCH, "/api/users/" + USER, "{\"name\":\"user 1\"}", USERS, 200, USER_WITH_CART,
                        "cart.items.productId", PRODUCTS, "/products", "$.cart.items[0].productId.title", "product 1"),
                new Write(HttpMethod.POST, "/api/users", "{\"name\":\"user 1\"}", USERS, 201, USER_WITH_CART,
                        "cart.items.productId", PRODUCTS, "/products", "$.cart.items[0].productId.title", "product 1"),
                new Write(HttpMethod.POST, "/api/products", "{\"title\":\"product 1\"}", PRODUCTS, 201, product(1, 1),
                        "userId", USERS, "/users", "$.userId.name", "user 1"),
                new Write(HttpMethod.PATCH, "/api/products/" + PRODUCT, "{\"price\":19.90}", PRODUCTS, 200, product(1, 1),
                        "userId", USERS, "/users", "$.userId.name", "user 1"));
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        // signed in as user 1, who owns the cart and the products written
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(USER))
                .build();
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[" + user(1) + "]")));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson("[" + product(1, 1) + "]")));
    }

    private static void answers(Write write) {
        MappingBuilder stub = request(write.method().name(), urlPathEqualTo(write.backendPath()));
        write.backend().stubFor(stub.willReturn(aResponse().withStatus(write.status())
                .withHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE).withBody(write.answer())));
    }

    private WebTestClient.ResponseSpec send(Write write, String populate) {
        return client.method(write.method()).uri(write.path() + "?populate=" + populate)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(write.body()).exchange();
    }

    /** The writes the backend received: each without {@code populate}. */
    private static List<LoggedRequest> written(Write write) {
        List<LoggedRequest> written = write.backend().findAll(new RequestPatternBuilder(
                RequestMethod.fromString(write.method().name()), urlPathEqualTo(write.backendPath())));
        written.forEach(request -> assertThat(request.getUrl()).doesNotContain("populate"));
        return written;
    }

    private static List<LoggedRequest> lookups(Write write) {
        return write.lookedUp().findAll(getRequestedFor(urlPathEqualTo(write.lookup())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aWritesAnswerIsPopulatedUnderItsOwnStatusAndTheWriteIsMadeOnce(Write write) {
        answers(write);

        send(write, write.populate())
                .expectStatus().isEqualTo(write.status())
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody().jsonPath(write.populated()).isEqualTo(write.expected());

        assertThat(written(write)).hasSize(1);
        assertThat(written(write).get(0).getBodyAsString()).isEqualTo(write.body());
        assertThat(lookups(write)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aBadSpecOnAWriteIsA400NamingPopulateAndNothingIsWritten(Write write) {
        answers(write);

        for (String bad : List.of("owner", "items..productId", write.populate() + "[limit=3]", "")) {
            send(write, bad)
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("populate");
        }

        USERS.verify(0, RequestPatternBuilder.allRequests());
        PRODUCTS.verify(0, RequestPatternBuilder.allRequests());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aFailedLookupLeavesTheWriteDoneAndTheAnswerMarkedUnderTheWritesStatus(Write write) {
        answers(write);
        write.lookedUp().stubFor(get(urlPathEqualTo(write.lookup())).willReturn(aResponse().withStatus(503)));

        send(write, write.populate())
                .expectStatus().isEqualTo(write.status())
                .expectHeader().valueEquals(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, write.populate())
                .expectBody()
                .jsonPath(write.populated()).doesNotExist()
                .jsonPath(write.populated().substring(0, write.populated().lastIndexOf('.')))
                .isEqualTo(write.lookedUp() == PRODUCTS ? PRODUCT : USER);

        assertThat(written(write)).hasSize(1);
        assertThat(lookups(write)).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aFailedWritePassesThroughUntouchedAndNothingIsLookedUp(Write write) {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"no\"}";
        write.backend().stubFor(request(write.method().name(), urlPathEqualTo(write.backendPath()))
                .willReturn(aResponse().withStatus(409)
                        .withHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE).withBody(problem)));

        send(write, write.populate())
                .expectStatus().isEqualTo(409)
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody().json(problem);

        assertThat(written(write)).hasSize(1);
        assertThat(lookups(write)).isEmpty();
    }

    @Test
    void aWritesLookupsReachTheBackendEvenWhenTheCacheHoldsWhatTheyAskForAndItsInvalidationStillHappens() {
        Write add = writes().filter(write -> write.path().endsWith("/cart/items")).findFirst().orElseThrow();
        answers(add);
        USERS.stubFor(get(urlPathEqualTo("/users/" + USER + "/cart")).willReturn(okJson(CART)));
        client.get().uri("/api/users/" + USER + "/cart?populate=items.productId").exchange()
                .expectStatus().isOk();
        client.get().uri("/api/users/" + USER + "/cart?populate=items.productId").exchange()
                .expectStatus().isOk();
        assertThat(lookups(add)).as("the second GET is answered from the cache").hasSize(1);

        send(add, add.populate()).expectStatus().isOk()
                .expectBody().jsonPath(add.populated()).isEqualTo(add.expected());

        assertThat(lookups(add)).hasSize(2);

        // a populated write still makes what it touches stale: the product changed is looked up again
        Write change = writes().filter(write -> write.path().startsWith("/api/products/")).findFirst().orElseThrow();
        answers(change);
        send(change, change.populate()).expectStatus().isOk();
        client.get().uri("/api/users/" + USER + "/cart?populate=items.productId").exchange()
                .expectStatus().isOk();
        assertThat(lookups(add)).hasSize(3);
    }

    @Test
    void populateOnADeleteIsA400AndNothingIsDeleted() {
        client.delete().uri("/api/users/" + USER + "/cart/items/" + PRODUCT + "?populate=items.productId").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("populate")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("nothing can be populated at DELETE"));

        USERS.verify(0, RequestPatternBuilder.allRequests());
    }
}
