package com.example.shop.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.testing.MalformedQueries;
import com.example.shop.testing.RawHttp;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.gateway.api.ShopApi;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.example.shop.gateway.BackendDocuments.array;
import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.example.shop.gateway.BackendDocuments.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway over HTTP, with WireMock standing in for both services: routing, populate's batching
 * (counted in WireMock's request journal) and every way a backend can fail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience4j.timelimiter.instances.user-service.timeout-duration=500ms",
        "resilience4j.timelimiter.instances.product-service.timeout-duration=500ms",
        "shop.backends.route-timeout=2s",
        "resilience4j.retry.configs.default.wait-duration=10ms",
        // the tests open circuits on purpose; failures alone must not open one behind a test's back
        "resilience4j.circuitbreaker.configs.default.sliding-window-size=1000",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000",
        "shop.populate.budget=3s",
        "shop.populate.lookup-concurrency=2",
        // every lookup reaches the backends, to be counted (the cache: cache.PopulateCacheHttpTest)
        "shop.populate.cache.ttl=0",
        // one instance per backend, stopped and restarted by tests: no readiness checks to stub or wait for
        "spring.cloud.loadbalancer.configurations=default"})
class GatewayWireMockTest {

    /** Holds the lookups of the test that needs them in flight together. */
    static final HeldResponses HELD = new HeldResponses();

    /** On ports of their own, so that a backend stopped by a test comes back where the gateway expects it. */
    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort(HELD);

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    static boolean warmedUp;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    WebTestClient client;

    static String page(List<String> items) {
        return "{\"content\":[" + String.join(",", items) + "],\"page\":{\"size\":" + items.size()
                + ",\"number\":0,\"totalElements\":" + items.size() + ",\"totalPages\":1}}";
    }

    /** Every user 0..199, whatever ids are asked: the gateway must pick what it asked for. */
    static void usersExist() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(array(IntStream.range(0, 200), BackendDocuments::user))));
    }

    static List<LoggedRequest> lookups(WireMockServer server, String path) {
        return server.findAll(getRequestedFor(urlPathEqualTo(path)));
    }

    static List<String> ids(LoggedRequest request) {
        return Arrays.asList(request.queryParameter("ids").firstValue().split(","));
    }

    @BeforeEach
    void setUp() {
        // signed in as user 1: these tests are about routing and populate (GatewaySecurityTest is about tokens)
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(id('a', 1)))
                .build();
        circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        if (!warmedUp) {
            // the first WebClient and proxied calls of a JVM are slow; keep that out of the time limits under test
            usersExist();
            PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(array(IntStream.range(0, 1), n -> product(n, n)))));
            client.get().uri("/api/products?populate=userId").exchange().expectBody().returnResult();
            client.get().uri("/api/users?ids=" + id('a', 0) + "&populate=cart.items.productId").exchange()
                    .expectBody().returnResult();
            USERS.resetAll();
            PRODUCTS.resetAll();
            warmedUp = true;
        }
    }

    // ---- routing

    @Test
    void requestsPassThroughWithMethodHeadersStatusAndBodyUnchanged() {
        USERS.stubFor(post(urlPathEqualTo("/users")).willReturn(aResponse().withStatus(201)
                .withHeader("Location", "/users/" + id('a', 1)).withHeader("Content-Type", "application/json")
                .withBody(user(1))));

        client.post().uri("/api/users").contentType(MediaType.APPLICATION_JSON).header("X-Trace", "t-1")
                .bodyValue("{\"name\":\"user 1\",\"email\":\"u1@example.com\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals("Location", "/api/users/" + id('a', 1))
                .expectBody().json(user(1), JsonCompareMode.STRICT);

        LoggedRequest forwarded = USERS.findAll(anyRequestedFor(urlPathEqualTo("/users"))).get(0);
        assertThat(forwarded.getMethod().getName()).isEqualTo("POST");
        assertThat(forwarded.getHeader("X-Trace")).isEqualTo("t-1");
        assertThat(forwarded.getBodyAsString()).isEqualTo("{\"name\":\"user 1\",\"email\":\"u1@example.com\"}");
    }

    @Test
    void aLocationNamingABackendsPathNamesItUnderTheGatewaysPrefixAndAnyOtherIsLeftAlone() {
        PRODUCTS.stubFor(post(urlPathEqualTo("/products")).willReturn(aResponse().withStatus(201)
                .withHeader("Location", "/products/" + id('b', 1)).withHeader("Content-Type", "application/json")
                .withBody(product(1, 1))));
        PRODUCTS.stubFor(post(urlPathEqualTo("/products/elsewhere")).willReturn(aResponse().withStatus(303)
                .withHeader("Location", "https://example.com/products/1")));
        PRODUCTS.stubFor(post(urlPathEqualTo("/products/lookalike")).willReturn(aResponse().withStatus(303)
                .withHeader("Location", "/productsheet")));

        client.post().uri("/api/products").contentType(MediaType.APPLICATION_JSON).bodyValue(product(1, 1))
                .exchange().expectStatus().isCreated()
                .expectHeader().valueEquals("Location", "/api/products/" + id('b', 1));
        client.post().uri("/api/products/elsewhere").exchange().expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "https://example.com/products/1");
        client.post().uri("/api/products/lookalike").exchange().expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/productsheet");
    }

    @Test
    void aServicesProblemReachesTheClientAsItWas() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"product "
                + id('b', 9) + " not found\",\"instance\":\"/products/" + id('b', 9) + "\"}";
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 9))).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody(problem)));

        client.get().uri("/api/products/" + id('b', 9) + "?populate=userId").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).isEqualTo(problem);
    }

    /**
     * Plain spellings are paths the gateway does not route (404); encoded slashes, dot segments and path
     * parameters are turned away before routing by Spring Security's firewall (400); InternalPathGuard
     * still stands behind both.
     */
    @ParameterizedTest
    @CsvSource({"/internal/carts/items/b00000000000000000000001, 404", "/api/internal/carts/items/x, 404",
            "/api/users/..%2F..%2Finternal/carts/items/x, 400", "/api/users/%2e%2e/%2e%2e/internal/carts/items/x, 400",
            "/api/users/x/..;/..;/internal/carts/items/x, 400"})
    void internalEndpointsAreNeverReached(String path, int status) {
        USERS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(anyUrl()).willReturn(okJson("{}")));

        client.get().uri(URI.create("http://localhost:" + port + path)).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.delete().uri(URI.create("http://localhost:" + port + path)).exchange()
                .expectStatus().isEqualTo(status);

        assertThat(USERS.getAllServeEvents()).isEmpty();
        assertThat(PRODUCTS.getAllServeEvents()).isEmpty();
    }

    // ---- populate over HTTP

    @Test
    void aPageOfFiftyProductsWithFiftyOwnersCostsExactlyOneCallToUserService() {
        usersExist();
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(page(
                IntStream.range(0, 50).mapToObj(n -> product(n, n + 100)).toList()))));

        client.get().uri("/api/products?page=0&size=50&populate=userId").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody()
                .jsonPath("$.content.length()").isEqualTo(50)
                .jsonPath("$.content[7].userId.name").isEqualTo("user 107")
                .jsonPath("$.content[7].price").isEqualTo(19.90)
                .jsonPath("$.page.totalElements").isEqualTo(50);

        List<LoggedRequest> lookups = lookups(USERS, "/users");
        assertThat(lookups).hasSize(1);
        assertThat(ids(lookups.get(0))).hasSize(50).doesNotHaveDuplicates();
        LoggedRequest forwarded = lookups(PRODUCTS, "/products").get(0);
        assertThat(forwarded.getUrl()).isEqualTo("/products?page=0&size=50");
    }

    @Test
    void anOwnerOfManyProductsIsFetchedOnce() {
        usersExist();
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(array(IntStream.range(0, 10), n -> product(n, 3)))));

        client.get().uri("/api/products?ids=x&populate=userId(name)").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[9].userId.name").isEqualTo("user 3")
                .jsonPath("$[9].userId.email").doesNotExist();

        assertThat(lookups(USERS, "/users")).singleElement().satisfies(r -> assertThat(ids(r)).containsExactly(id('a', 3)));
    }

    @Test
    void moreThanAHundredDistinctIdsGoInChunksSentConcurrently() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(array(IntStream.range(0, 200), BackendDocuments::user))
                .withTransformers(HeldResponses.NAME)));
        HELD.holdUntil(2);
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(array(IntStream.range(0, 150), n -> product(n, n)))));

        client.get().uri("/api/products?ids=x&populate=userId").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody().jsonPath("$[149].userId.name").isEqualTo("user 149");

        List<LoggedRequest> lookups = lookups(USERS, "/users");
        assertThat(lookups).hasSize(2);
        List<String> all = new ArrayList<>();
        lookups.forEach(r -> all.addAll(ids(r)));
        assertThat(lookups).allSatisfy(r -> assertThat(ids(r)).hasSizeLessThanOrEqualTo(100));
        assertThat(all).hasSize(150).doesNotHaveDuplicates();
    }

    @Test
    void aCartOfManyDistinctProductsIsLookedUpAtMostTwoChunksAtATime() {
        String items = IntStream.range(0, 1000)
                .mapToObj(n -> "{\"productId\":\"" + id('b', n) + "\",\"quantity\":1}")
                .collect(Collectors.joining(","));
        USERS.stubFor(get(urlPathEqualTo("/users/" + id('a', 1) + "/cart")).willReturn(okJson("{\"items\":[" + items + "]}")));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson("[]").withFixedDelay(150)));

        client.get().uri("/api/users/" + id('a', 1) + "/cart?populate=items.productId").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody().jsonPath("$.items[999].productId").isEmpty();

        List<ServeEvent> lookups = PRODUCTS.getAllServeEvents();
        assertThat(lookups).hasSize(10);
        assertThat(mostAtOnce(lookups)).isEqualTo(2);
    }

    /** The most requests WireMock was serving at one moment, from its journal. */
    private static int mostAtOnce(List<ServeEvent> events) {
        int most = 0;
        for (ServeEvent event : events) {
            long start = event.getRequest().getLoggedDate().getTime();
            long during = events.stream().filter(other -> {
                long otherStart = other.getRequest().getLoggedDate().getTime();
                long otherEnd = otherStart + other.getTiming().getTotalTime();
                return otherStart <= start && start < otherEnd;
            }).count();
            most = Math.max(most, (int) during);
        }
        return most;
    }

    @Test
    void aBackendAnswerThatIsNotReadByThePopulateDeadlineIs504NamingTheBackend() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 1))).willReturn(okJson(product(1, 1))
                .withChunkedDribbleDelay(20, 10_000)));
        WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(15)).build();

        long started = System.nanoTime();
        patient.get().uri("/api/products/" + id('b', 1) + "?populate=userId").exchange()
                .expectStatus().isEqualTo(504)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.backend").isEqualTo("product-service")
                .jsonPath("$.detail").isEqualTo("product-service did not answer in time");
        // the 3 s budget, not the 10 s the body takes
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(lookups(USERS, "/users")).isEmpty();
    }

    @Test
    void aNestedPathCostsOneCallPerLevelAndTarget() {
        String owner = "{\"id\":\"" + id('a', 1) + "\",\"name\":\"Ada\",\"email\":\"ada@example.com\",\"cart\":{\"items\":["
                + "{\"productId\":\"" + id('b', 1) + "\",\"quantity\":2},{\"productId\":\"" + id('b', 2) + "\",\"quantity\":1},"
                + "{\"productId\":\"" + id('b', 404) + "\",\"quantity\":1}]}}";
        USERS.stubFor(get(urlPathEqualTo("/users/" + id('a', 1))).willReturn(okJson(owner)));
        usersExist();
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson("[" + product(1, 5) + "," + product(2, 6) + "]")));

        client.get().uri("/api/users/" + id('a', 1) + "?populate=cart.items.productId.userId(name)").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.cart.items[0].productId.title").isEqualTo("product 1")
                .jsonPath("$.cart.items[0].productId.userId.name").isEqualTo("user 5")
                .jsonPath("$.cart.items[0].productId.userId.email").doesNotExist()
                .jsonPath("$.cart.items[1].productId.userId.name").isEqualTo("user 6")
                .jsonPath("$.cart.items[2].productId").isEmpty()
                .jsonPath("$.cart.items[2].quantity").isEqualTo(1);

        assertThat(lookups(PRODUCTS, "/products")).hasSize(1);
        assertThat(lookups(USERS, "/users")).singleElement()
                .satisfies(r -> assertThat(ids(r)).containsExactlyInAnyOrder(id('a', 5), id('a', 6)));
    }

    @Test
    void aCartCanBePopulated() {
        USERS.stubFor(get(urlPathEqualTo("/users/" + id('a', 1) + "/cart")).willReturn(okJson(
                "{\"items\":[{\"productId\":\"" + id('b', 1) + "\",\"quantity\":2}]}")));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson("[" + product(1, 5) + "]")));

        client.get().uri("/api/users/" + id('a', 1) + "/cart?populate=items.productId(title,price)").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"items\":[{\"productId\":{\"id\":\"" + id('b', 1)
                        + "\",\"title\":\"product 1\",\"price\":19.90},\"quantity\":2}]}", JsonCompareMode.STRICT);
    }

    @Test
    void aPageOfUsersGetsEachUsersProductsFromOneCallToProductService() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(page(IntStream.range(0, 3)
                .mapToObj(BackendDocuments::user).toList()))));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/owned")).willReturn(okJson("[{\"userId\":\"" + id('a', 0)
                + "\",\"products\":[]},{\"userId\":\"" + id('a', 1) + "\",\"products\":[" + product(1, 1) + ","
                + product(2, 1) + "]},{\"userId\":\"" + id('a', 2) + "\",\"products\":[" + product(3, 2) + "]}]")));

        client.get().uri("/api/users?page=0&size=3&populate=products(title)[sort=-price,title;limit=2]").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody()
                .jsonPath("$.content[0].products.length()").isEqualTo(0)
                .jsonPath("$.content[1].products.length()").isEqualTo(2)
                .jsonPath("$.content[1].products[1].title").isEqualTo("product 2")
                .jsonPath("$.content[1].products[1].price").doesNotExist()
                .jsonPath("$.content[2].products[0].id").isEqualTo(id('b', 3));

        List<LoggedRequest> lookups = lookups(PRODUCTS, "/products/owned");
        assertThat(lookups).hasSize(1);
        assertThat(lookups.get(0).queryParameter("userId").firstValue().split(","))
                .containsExactlyInAnyOrder(id('a', 0), id('a', 1), id('a', 2));
        assertThat(lookups.get(0).queryParameter("sort").values()).containsExactly("price,desc", "title,asc");
        assertThat(lookups.get(0).queryParameter("limit").firstValue()).isEqualTo("2");
    }

    @Test
    void aListsFiltersAndSkipReachProductServiceAsItsPagesTakeThemWhateverTheyHold() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(page(IntStream.range(0, 2)
                .mapToObj(BackendDocuments::user).toList()))));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/owned")).willReturn(okJson("[{\"userId\":\"" + id('a', 0)
                + "\",\"products\":[" + product(1, 0) + "]},{\"userId\":\"" + id('a', 1) + "\",\"products\":[]}]")));

        client.get().uri("/api/users?page=0&size=2&populate={populate}",
                        "products[price=lt.500;title=eq.\"Lamp & co; 50% off +1\";sort=-price;price=gte.100;skip=3;limit=3;"
                                + "userId=" + id('a', 0) + "," + id('a', 1) + "]")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.content[0].products[0].id").isEqualTo(id('b', 1))
                .jsonPath("$.content[1].products.length()").isEqualTo(0);

        LoggedRequest lookup = lookups(PRODUCTS, "/products/owned").get(0);
        assertThat(lookup.queryParameter("userId").values()).as("the owners, then the filter, never a bare list")
                .containsExactly(id('a', 0) + "," + id('a', 1), "in." + id('a', 0) + "," + id('a', 1));
        assertThat(lookup.queryParameter("title").values()).containsExactly("eq.Lamp & co; 50% off +1");
        assertThat(lookup.queryParameter("price").values()).containsExactly("gte.100", "lt.500");
        assertThat(lookup.queryParameter("sort").values()).containsExactly("price,desc");
        assertThat(lookup.queryParameter("skip").firstValue()).isEqualTo("3");
        assertThat(lookup.queryParameter("limit").firstValue()).isEqualTo("3");
    }

    @Test
    void aFilteredCountAsksForTheCountWithTheFiltersOnly() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(page(IntStream.range(0, 2)
                .mapToObj(BackendDocuments::user).toList()))));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/owned")).willReturn(okJson("[{\"userId\":\"" + id('a', 0)
                + "\",\"count\":4},{\"userId\":\"" + id('a', 1) + "\",\"count\":0}]")));

        client.get().uri("/api/users?page=0&size=2&populate={populate}", "products[price=gte.100;count]").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.content[0].products").isEqualTo(4)
                .jsonPath("$.content[1].products").isEqualTo(0);

        LoggedRequest lookup = lookups(PRODUCTS, "/products/owned").get(0);
        assertThat(lookup.queryParameter("price").values()).containsExactly("gte.100");
        assertThat(lookup.queryParameter("count").firstValue()).isEqualTo("true");
        for (String absent : List.of("sort", "skip", "limit")) {
            assertThat(lookup.queryParameter(absent).isPresent()).as(absent).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "products[price=gte.abc]               | price       | must be a decimal number",
            "products[title=gt.a]                  | title       | operator 'gt' does not apply",
            "products[description=eq.a]            | description | unknown option 'description'",
            "products[price=gte.1;count;skip=2]    | skip        | makes no sense with count",
            "products[skip=1001]                   | skip        | from 0 to 1000",
            "`products[title=eq.a b]`              | title       | outside quotes"})
    void aBadFilterInsideAListIsA400NamingPopulateAndTheFieldAndCallsNoBackend(String populate, String option,
            String message) {
        client.get().uri("/api/users?populate={populate}", populate).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("populate")
                .jsonPath("$.option").isEqualTo(option)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(message));

        assertThat(USERS.getAllServeEvents()).isEmpty();
        assertThat(PRODUCTS.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPopulates")
    void populateGivenBareEmptyOrGarbledOnAnyPopulatableEndpointIsA400NamingItAndCallsNoBackend(String target,
            String parameter) {
        MalformedQueries.assertRefusedNaming(RawHttp.get(port, target,
                HttpHeaders.AUTHORIZATION + ": Bearer " + TestSecurity.userToken(id('a', 1))), parameter);
        assertThat(USERS.getAllServeEvents()).isEmpty();
        assertThat(PRODUCTS.getAllServeEvents()).isEmpty();
    }

    /** {@code populate} in each malformed form ({@link MalformedQueries}) on each endpoint that takes it. */
    static Stream<Arguments> malformedPopulates() {
        return ShopApi.api().populatable().stream()
                .filter(endpoint -> !endpoint.isWrite())
                .map(endpoint -> endpoint.path().replace("{id}", id('a', 1)))
                .flatMap(path -> MalformedQueries.of(path, PopulateGatewayFilterFactory.PARAMETER, "userId",
                        MalformedQueries.Kind.REPEATABLE));
    }

    @Test
    void anOptionThatMakesNoSenseIsA400NamingItAndCallsNoBackend() {
        client.get().uri("/api/products/" + id('b', 1) + "?populate=userId[limit=3]").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'userId' is a single reference"))
                .jsonPath("$.option").isEqualTo("limit")
                .jsonPath("$.errors[0].field").isEqualTo("populate");

        assertThat(PRODUCTS.getAllServeEvents()).isEmpty();
    }

    @Test
    void anUnknownPathIsA400ListingThePathsAndCallsNoBackend() {
        client.get().uri("/api/products/" + id('b', 1) + "?populate=owner").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("has no path 'owner'"))
                .jsonPath("$.allowed[0]").isEqualTo("userId")
                .jsonPath("$.errors[0].field").isEqualTo("populate");

        assertThat(PRODUCTS.getAllServeEvents()).isEmpty();
    }

    @Test
    void nestingDeeperThanTheMaximumIsA400() {
        client.get().uri("/api/products?populate=userId.cart.items.productId.userId.cart.items.productId").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("most allowed is 3"));
    }

    @Test
    void populateOnADeleteOrWhereNothingCanBePopulatedIsA400() {
        client.delete().uri("/api/users/" + id('a', 1) + "?populate=cart.items.productId").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("nothing can be populated at DELETE /api/users/" + id('a', 1))
                        .contains("PATCH /api/users/{id}"));
        client.get().uri("/api/users/" + id('a', 1) + "/cart/items?populate=productId").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("nothing can be populated"));

        assertThat(USERS.getAllServeEvents()).isEmpty();
    }

    private static void whileUserServiceIsStopped(Runnable test) {
        int port = USERS.port();
        USERS.stop();
        try {
            test.run();
        }
        finally {
            USERS.start();
            assertThat(USERS.port()).isEqualTo(port);
        }
    }

    // ---- faults during populate: still 200, ids kept, the path named

    private WebTestClient.ResponseSpec productsWithOwners() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(array(IntStream.range(0, 3), n -> product(n, n)))));
        return client.get().uri("/api/products?ids=x&populate=userId").exchange();
    }

    private void expectOwnersLeftAsIds(WebTestClient.ResponseSpec response) {
        response.expectStatus().isOk()
                .expectHeader().valueEquals(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, "userId")
                .expectBody()
                .jsonPath("$[0].userId").isEqualTo(id('a', 0))
                .jsonPath("$[2].userId").isEqualTo(id('a', 2))
                .jsonPath("$[2].title").isEqualTo("product 2");
    }

    @Test
    void whenUserServiceIsStoppedTheOwnersStayIds() {
        whileUserServiceIsStopped(() -> expectOwnersLeftAsIds(productsWithOwners()));
    }

    @Test
    void whenUserServiceAnswers500TheLookupIsRetriedAndTheOwnersStayIds() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(aResponse().withStatus(500)));

        expectOwnersLeftAsIds(productsWithOwners());

        assertThat(lookups(USERS, "/users")).hasSize(3);
        // one lookup, tried three times: one failure
        assertThat(circuitBreakers.circuitBreaker("user-service").getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void whenUserServiceIsTooSlowTheOwnersStayIds() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(array(IntStream.range(0, 3), BackendDocuments::user))
                .withFixedDelay(3000)));

        expectOwnersLeftAsIds(productsWithOwners());
    }

    @Test
    void whenUserServicesCircuitIsOpenItIsNotCalledAndTheOwnersStayIds() {
        usersExist();
        circuitBreakers.circuitBreaker("user-service").transitionToOpenState();

        expectOwnersLeftAsIds(productsWithOwners());

        assertThat(lookups(USERS, "/users")).isEmpty();
    }

    @Test
    void aMissingOwnerIsNullNotUnresolved() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[" + user(1) + "]")));

        productsWithOwners().expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody()
                .jsonPath("$[0].userId").isEmpty()
                .jsonPath("$[1].userId.name").isEqualTo("user 1");
    }

    // ---- faults on pass-through: 503 / 504 problem+json naming the backend

    @Test
    void aStoppedBackendIs503NamingIt() {
        whileUserServiceIsStopped(() -> client.get().uri("/api/users/" + id('a', 1)).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectBody()
                    .jsonPath("$.backend").isEqualTo("user-service")
                    .jsonPath("$.detail").isEqualTo("user-service is unavailable: it refused the connection"));
    }

    @Test
    void aSlowBackendIs504NamingIt() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 1))).willReturn(okJson(product(1, 1)).withFixedDelay(4000)));

        client.get().uri("/api/products/" + id('b', 1)).exchange()
                .expectStatus().isEqualTo(504)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.backend").isEqualTo("product-service")
                .jsonPath("$.detail").isEqualTo("product-service did not answer in time");
    }

    @Test
    void anOpenCircuitIs503WithoutCallingTheBackend() {
        circuitBreakers.circuitBreaker("product-service").transitionToOpenState();

        client.get().uri("/api/products/" + id('b', 1)).header(HttpHeaders.ACCEPT, "application/json").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("circuit breaker is open"));

        assertThat(PRODUCTS.getAllServeEvents()).isEmpty();
    }

    @Test
    void aServices500PassesThroughAsItIs() {
        PRODUCTS.stubFor(get(urlPathEqualTo("/products/" + id('b', 1))).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":500}")));

        client.get().uri("/api/products/" + id('b', 1)).exchange()
                .expectStatus().isEqualTo(500)
                .expectBody().json("{\"status\":500}", JsonCompareMode.STRICT);
    }
}
