package com.example.shop.gateway.security;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.gateway.routing.PopulateGatewayFilterFactory;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.example.shop.gateway.BackendDocuments.array;
import static com.example.shop.gateway.BackendDocuments.id;
import static com.example.shop.gateway.BackendDocuments.product;
import static com.example.shop.gateway.BackendDocuments.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as the door: which operations are open, that a missing, expired, forged or service token
 * is turned away before anything is routed, that the caller's token is relayed as it was, and that
 * populate looks up on the caller's behalf: with the caller's own token (or, for an anonymous caller, the
 * gateway's own service credential), showing what user-service shows that caller, never more.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.loadbalancer.configurations=default"})
class GatewaySecurityTest {

    @RegisterExtension
    static final WireMockBackend USERS = WireMockBackend.onFreePort();

    @RegisterExtension
    static final WireMockBackend PRODUCTS = WireMockBackend.onFreePort();

    static final String ME = id('a', 1);

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, USERS, PRODUCTS);
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        // whatever is routed gets an answer: the tests look at whether it was routed, and with what
        USERS.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        PRODUCTS.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson(array(IntStream.range(0, 3), BackendDocuments::user))));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson(
                "[" + product(1, 1) + "," + product(2, 2) + "]")));
    }

    static Stream<Arguments> operations() {
        String user = "/api/users/" + ME;
        String product = "/api/products/" + id('b', 1);
        return Stream.of(
                Arguments.of(HttpMethod.POST, "/api/users", true),
                Arguments.of(HttpMethod.POST, "/api/auth/token", true),
                Arguments.of(HttpMethod.GET, "/api/auth/jwks", true),
                Arguments.of(HttpMethod.GET, "/api/products", true),
                Arguments.of(HttpMethod.GET, product, true),
                Arguments.of(HttpMethod.GET, "/api/users", false),
                Arguments.of(HttpMethod.GET, user, false),
                Arguments.of(HttpMethod.PATCH, user, false),
                Arguments.of(HttpMethod.DELETE, user, false),
                Arguments.of(HttpMethod.GET, user + "/cart", false),
                Arguments.of(HttpMethod.POST, user + "/cart/items", false),
                Arguments.of(HttpMethod.DELETE, user + "/cart", false),
                Arguments.of(HttpMethod.POST, "/api/products", false),
                Arguments.of(HttpMethod.PATCH, product, false),
                Arguments.of(HttpMethod.DELETE, product, false));
    }

    private WebTestClient.ResponseSpec call(HttpMethod method, String path, String token) {
        var request = client.method(method).uri(path);
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        if (method == HttpMethod.POST || method == HttpMethod.PATCH) {
            return request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange();
        }
        return request.exchange();
    }

    private static int routed() {
        return USERS.findAll(anyRequestedFor(anyUrl())).size() + PRODUCTS.findAll(anyRequestedFor(anyUrl())).size();
    }

    @ParameterizedTest(name = "{0} {1} without a token: open {2}")
    @MethodSource("operations")
    void withoutATokenOnlyTheOpenOperationsAreRouted(HttpMethod method, String path, boolean open) {
        var response = call(method, path, null);
        if (open) {
            response.expectStatus().isOk();
            assertThat(routed()).isEqualTo(1);
        }
        else {
            response.expectStatus().isUnauthorized()
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(401);
            assertThat(routed()).as("nothing reaches a backend").isZero();
        }
    }

    @ParameterizedTest(name = "{0} {1} with a user's token is routed")
    @MethodSource("operations")
    void withAValidTokenEveryOperationIsRoutedAndTheTokenRelayed(HttpMethod method, String path, boolean open) {
        String token = TestSecurity.userToken(ME);
        call(method, path, token).expectStatus().isOk();

        WireMockServer backend = path.startsWith("/api/products") ? PRODUCTS : USERS;
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).singleElement()
                .satisfies(forwarded -> assertThat(forwarded.getHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + token));
    }

    static Stream<Arguments> openReadsByOtherMeans() {
        String product = "/api/products/" + id('b', 1);
        return Stream.of(
                Arguments.of(HttpMethod.HEAD, "/api/products", "/products"),
                Arguments.of(HttpMethod.HEAD, product, product.substring(4)),
                Arguments.of(HttpMethod.HEAD, "/api/auth/jwks", "/auth/jwks"),
                Arguments.of(HttpMethod.OPTIONS, "/api/products", "/products"),
                Arguments.of(HttpMethod.OPTIONS, product, product.substring(4)),
                Arguments.of(HttpMethod.OPTIONS, "/api/auth/jwks", "/auth/jwks"),
                Arguments.of(HttpMethod.GET, "/api/products/", "/products"),
                Arguments.of(HttpMethod.GET, product + "/", product.substring(4)),
                Arguments.of(HttpMethod.GET, "/api/auth/jwks/", "/auth/jwks"),
                Arguments.of(HttpMethod.HEAD, "/api/products/", "/products"),
                Arguments.of(HttpMethod.POST, "/api/users/", "/users"),
                Arguments.of(HttpMethod.POST, "/api/auth/token/", "/auth/token"));
    }

    @ParameterizedTest(name = "{0} {1} without a token is routed to {2}")
    @MethodSource("openReadsByOtherMeans")
    void headOptionsAndATrailingSlashAreAsOpenAsTheOperationItself(HttpMethod method, String path, String routedTo) {
        call(method, path, null).expectStatus().isOk();

        WireMockServer backend = path.startsWith("/api/products") ? PRODUCTS : USERS;
        assertThat(backend.findAll(anyRequestedFor(anyUrl()))).singleElement().satisfies(forwarded -> {
            assertThat(forwarded.getMethod().getName()).isEqualTo(method.name());
            assertThat(forwarded.getUrl()).isEqualTo(routedTo);
        });
    }

    @Test
    void aTrailingSlashOpensNothingThatIsClosed() {
        call(HttpMethod.GET, "/api/users/", null).expectStatus().isUnauthorized();
        call(HttpMethod.GET, "/api/users/" + ME + "/", null).expectStatus().isUnauthorized();
        call(HttpMethod.OPTIONS, "/api/users/" + ME, null).expectStatus().isUnauthorized();
        call(HttpMethod.HEAD, "/api/users/" + ME + "/cart", null).expectStatus().isUnauthorized();
        assertThat(routed()).isZero();
    }

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("expired", TestSecurity.expiredUserToken(ME)),
                Arguments.of("forged", TestSecurity.forgedUserToken(ME)),
                Arguments.of("a service's (not taken from outside)", TestSecurity.serviceToken("user-service")),
                Arguments.of("not a JWT", "not-a-token"));
    }

    @ParameterizedTest(name = "a token that is {0} is a 401, even where no token is needed")
    @MethodSource("refusedTokens")
    void aTokenThatDoesNotPassIsA401EvenOnAnOpenOperation(String what, String token) {
        for (String path : new String[] {"/api/users/" + ME, "/api/products"}) {
            call(HttpMethod.GET, path, token).expectStatus().isUnauthorized()
                    .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE,
                            challenge -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""))
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        assertThat(routed()).isZero();
    }

    /** What user-service answers to a lookup with the token of {@code ME}: ME whole, user 2 public. */
    private static void userServiceAnswersAsMe(String token) {
        USERS.stubFor(get(urlPathEqualTo("/users")).withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer " + token))
                .willReturn(okJson("[" + user(1) + ",{\"id\":\"" + id('a', 2) + "\",\"name\":\"user 2\"}]")));
    }

    @Test
    void populateLookupsCarryTheCallersOwnTokenAndShowWhatUserServiceShowsTheCaller() {
        String token = TestSecurity.userToken(ME);
        userServiceAnswersAsMe(token);

        call(HttpMethod.GET, "/api/products?ids=x&populate=userId(name,email,cart)", token)
                .expectStatus().isOk()
                .expectHeader().doesNotExist(PopulateGatewayFilterFactory.UNRESOLVED_HEADER)
                .expectBody()
                .jsonPath("$[0].userId.email").isEqualTo("u1@example.com")
                .jsonPath("$[0].userId.cart.items").isArray()
                .jsonPath("$[1].userId.name").isEqualTo("user 2")
                .jsonPath("$[1].userId.email").doesNotExist()
                .jsonPath("$[1].userId.cart").doesNotExist();

        assertThat(USERS.findAll(getRequestedFor(urlPathEqualTo("/users")))).singleElement()
                .satisfies(lookup -> assertThat(lookup.getHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + token));
    }

    @Test
    void aSignedInCallersProductLookupsCarryItsTokenToo() {
        String token = TestSecurity.userToken(ME);
        USERS.stubFor(get(urlPathEqualTo("/users/" + ME)).willReturn(okJson(
                "{\"id\":\"" + ME + "\",\"cart\":{\"items\":[{\"productId\":\"" + id('b', 1) + "\",\"quantity\":1}]}}")));

        call(HttpMethod.GET, "/api/users/" + ME + "?populate=cart.items.productId", token).expectStatus().isOk()
                .expectBody().jsonPath("$.cart.items[0].productId.title").isEqualTo("product 1");

        assertThat(PRODUCTS.findAll(getRequestedFor(urlPathEqualTo("/products")))).singleElement()
                .satisfies(lookup -> assertThat(lookup.getHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + token));
    }

    @Test
    void anAnonymousCallersLookupsCarryTheGatewaysOwnServiceCredential() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[{\"id\":\"" + ME + "\",\"name\":\"user 1\"}]")));

        call(HttpMethod.GET, "/api/products?ids=x&populate=userId", null).expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].userId.name").isEqualTo("user 1")
                .jsonPath("$[0].userId.email").doesNotExist();

        LoggedRequest lookup = USERS.findAll(getRequestedFor(urlPathEqualTo("/users"))).get(0);
        String credential = lookup.getHeader(HttpHeaders.AUTHORIZATION);
        assertThat(credential).startsWith("Bearer ");
        Jwt jwt = TestSecurity.verifyServiceToken("gateway", credential.substring("Bearer ".length()));
        assertThat(jwt.getSubject()).isEqualTo("gateway");
        assertThat(jwt.getClaimAsString("iss")).isEqualTo("shop-service:gateway");
        assertThat(PRODUCTS.findAll(getRequestedFor(urlPathEqualTo("/products")))).as("the routed request")
                .singleElement().satisfies(routed -> assertThat(routed.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
    }

    @Test
    void whatUserServiceLeavesOutIsNeverFollowedByANestedPopulate() {
        USERS.stubFor(get(urlPathEqualTo("/users")).willReturn(okJson("[{\"id\":\"" + id('a', 2) + "\",\"name\":\"user 2\"}]")));
        PRODUCTS.stubFor(get(urlPathEqualTo("/products")).willReturn(okJson("[" + product(2, 2) + "]")));

        call(HttpMethod.GET, "/api/products?ids=x&populate=userId.cart.items.productId", TestSecurity.userToken(ME))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].userId.name").isEqualTo("user 2")
                .jsonPath("$[0].userId.cart").doesNotExist();
        assertThat(PRODUCTS.findAll(getRequestedFor(urlPathEqualTo("/products")))).as("only the routed request")
                .hasSize(1);
    }
}
