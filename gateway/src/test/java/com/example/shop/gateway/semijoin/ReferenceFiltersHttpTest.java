package com.example.shop.gateway.semijoin;

import java.util.List;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.gateway.BackendDocuments;
import com.example.shop.security.test.TestSecurity;
import com.example.shop.testing.WireMockBackend;

import static com.example.shop.gateway.BackendDocuments.array;
import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters through a reference over HTTP, with WireMock standing in for both services (their calls counted in its
 * request journal): one call to the target for the matching ids, then the page's own request once, narrowed to them;
 * the 422 past the bound (here 3) and the 400s before any call; populate on the narrowed page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "shop.api.reference-filters.max-ids=3",
        "shop.populate.cache.ttl=0",
        // a loaded machine must not time a lookup out: its retry would be a second call, which these tests count
        "resilience4j.timelimiter.instances.user-service.timeout-duration=20s",
        "resilience4j.timelimiter.instances.product-service.timeout-duration=20s",
        "spring.cloud.loadbalancer.configurations=default"})
class ReferenceFiltersHttpTest {

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

    WebTestClient client;

    final String caller = id('a', 1);

    final String token = TestSecurity.userToken(caller);

    @BeforeEach
    void setUp() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    static String page(List<String> items, int size, long total) {
        return "{\"content\":[" + String.join(",", items) + "],\"page\":{\"size\":" + size
                + ",\"number\":0,\"totalElements\":" + total + ",\"totalPages\":" + ((total + size - 1) / size) + "}}";
    }

    static void usersMatch(String... ids) {
        USERS.stubFor(get(urlPathEqualTo("/internal/users/ids")).willReturn(okJson(json(ids))));
    }

    static void ownersMatch(String... ids) {
        PRODUCTS.stubFor(get(urlPathEqualTo("/internal/products/ids")).willReturn(okJson(json(ids))));
    }

    static String json(String... ids) {
        return "[" + String.join(",", java.util.Arrays.stream(ids).map(id -> "\"" + id + "\"").toList()) + "]";
    }

    static List<LoggedRequest> calls(WireMockBackend backend, String path) {
        return backend.findAll(getRequestedFor(urlPathEqualTo(path)));
    }

    static int allCalls(WireMockBackend backend) {
        return backend.findAll(getRequestedFor(urlPathMatching("/.*"))).size();
    }

    static List<String> values(LoggedRequest request, String parameter) {
        return request.queryParameter(parameter).isPresent() ? request.queryParameter(parameter).values() : List.of();
    }

    @Test
    void aForwardFilterAsksTheOwnersOnceThenTheNarrowedPageOnceAndPopulatesIt() {
        usersMatch(id('a', 1), id('a', 2));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(List.of(product(1, 1), product(2, 2)), 5, 2))));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(array(IntStream.of(1, 2), BackendDocuments::user))));

        client.get().uri("/api/products?userId.name=eq.Ada&price=gte.10&size=5&populate=userId")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.page.totalElements").isEqualTo(2)
                .jsonPath("$.content[0].userId.name").isEqualTo("user 1")
                .jsonPath("$.content[1].userId.id").isEqualTo(id('a', 2));

        List<LoggedRequest> matched = calls(USERS, "/internal/users/ids");
        assertThat(matched).hasSize(1);
        assertThat(values(matched.get(0), "name")).containsExactly("eq.Ada");
        assertThat(values(matched.get(0), "of")).containsExactly("id");
        assertThat(values(matched.get(0), "limit")).containsExactly("4");
        // on the caller's behalf: the caller's own token
        assertThat(matched.get(0).getHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + token);
        List<LoggedRequest> pages = calls(PRODUCTS, "/products");
        assertThat(pages).hasSize(1);
        assertThat(values(pages.get(0), "userId")).containsExactly("in." + id('a', 1) + "," + id('a', 2));
        assertThat(values(pages.get(0), "price")).containsExactly("gte.10");
        assertThat(values(pages.get(0), "size")).containsExactly("5");
        assertThat(pages.get(0).getQueryParams()).doesNotContainKeys("userId.name", "populate");
    }

    @Test
    void aReverseFilterAsksTheDistinctOwnersWithEveryConditionOnThePathInOneCall() {
        ownersMatch(id('a', 3));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(page(List.of(BackendDocuments.user(3)), 20, 1))));

        client.get().uri("/api/users?products.price=gte.100&products.title={title}&sort=name,desc", "prefix.La&mp")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.content[0].id").isEqualTo(id('a', 3));

        List<LoggedRequest> matched = calls(PRODUCTS, "/internal/products/ids");
        assertThat(matched).hasSize(1);
        assertThat(values(matched.get(0), "price")).containsExactly("gte.100");
        // every value goes as given, an & in it too
        assertThat(values(matched.get(0), "title")).containsExactly("prefix.La&mp");
        assertThat(values(matched.get(0), "of")).containsExactly("userId");
        List<LoggedRequest> pages = calls(USERS, "/users");
        assertThat(pages).hasSize(1);
        assertThat(values(pages.get(0), "id")).containsExactly("in." + id('a', 3));
        assertThat(values(pages.get(0), "sort")).containsExactly("name,desc");
    }

    @Test
    void thePagesOwnFilterOnTheKeyNarrowsTheTargetsIdsInstead() {
        usersMatch(id('a', 2));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(List.of(product(2, 2)), 20, 1))));

        client.get().uri("/api/products?userId.name=prefix.A&userId=in.{a},{b}", id('a', 2), id('a', 9)).exchange()
                .expectStatus().isOk();

        LoggedRequest matched = calls(USERS, "/internal/users/ids").get(0);
        assertThat(values(matched, "id")).containsExactly("in." + id('a', 2) + "," + id('a', 9));
        assertThat(values(calls(PRODUCTS, "/products").get(0), "userId")).containsExactly("in." + id('a', 2));
    }

    @Test
    void anAnonymousCallersLookupOfUsersCarriesTheGatewaysServiceCredential() {
        usersMatch(id('a', 1));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(List.of(product(1, 1)), 20, 1))));

        client.get().uri("/api/products?userId.name=eq.Ada").exchange().expectStatus().isOk();

        String credential = calls(USERS, "/internal/users/ids").get(0).getHeader(HttpHeaders.AUTHORIZATION);
        assertThat(credential).startsWith("Bearer ").isNotEqualTo("Bearer " + token);
    }

    @Test
    void pastTheBoundIsA422NamingTheFilterAndTheBoundAndThePagesServiceIsNotAsked() {
        usersMatch(id('a', 1), id('a', 2), id('a', 3), id('a', 4));

        client.get().uri("/api/products?userId.name=prefix.A").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("userId.name")
                .jsonPath("$.maxIds").isEqualTo(3)
                .jsonPath("$.filter").isEqualTo("userId")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains("userId.name", "more than 3", "shop.api.reference-filters.max-ids"));

        assertThat(allCalls(PRODUCTS)).isZero();
    }

    @Test
    void noMatchIsAnEmptyPageAnsweredWithoutAskingThePagesService() {
        ownersMatch();

        client.get().uri("/api/users?products.price=gte.1000000&page=2&size=7&populate=products")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().json("{\"content\":[],\"page\":{\"size\":7,\"number\":2,\"totalElements\":0,\"totalPages\":0}}",
                        JsonCompareMode.STRICT);

        assertThat(allCalls(USERS)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            userId.email=eq.ada@example.com      | userId.email
            userId.password=eq.x                 | userId.password
            userId.products.price=gte.1          | userId.products.price
            userId.name=gt.A                     | userId.name
            userId.name=eq.                      | userId.name
            userId.id=eq.nope                    | userId.id
            userId.name=eq.A&price=zz.1          | price
            userId.name=eq.A&size=0              | size
            userId.name=eq.A&sort=color          | sort
            userId.name=eq.A&populate=nothing    | populate
            """)
    void aWrongFilterIsA400NamingItBeforeAnythingIsCalled(String query, String field) {
        client.get().uri("/api/products?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[*].field").value(List.class, fields -> assertThat(fields).contains(field));

        assertThat(allCalls(USERS)).isZero();
        assertThat(allCalls(PRODUCTS)).isZero();
    }

    @Test
    void aReverseFilterOnAFieldProductsDoNotFilterOnIsA400() {
        client.get().uri("/api/users?products.description=eq.x").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("products.description")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("title, price, userId"));
        assertThat(allCalls(PRODUCTS)).isZero();
        assertThat(allCalls(USERS)).isZero();
    }
}
