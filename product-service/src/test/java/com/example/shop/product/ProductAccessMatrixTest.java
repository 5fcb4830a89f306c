package com.example.shop.product;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.ServiceCredentials;
import com.example.shop.security.test.TestSecurity;
import com.example.shop.product.product.domain.Product;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what on {@code /products}: every endpoint, called by every kind of caller, answers the
 * status of the table below. Reads are public, but a token that is sent must be valid; writes need the
 * access token of the product's owner. A refused request is problem+json (a 401 with a
 * {@code WWW-Authenticate: Bearer} challenge) and leaves the store exactly as it was.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ProductAccessMatrixTest {

    static final UserServiceStub userService = new UserServiceStub();

    static final String OWNER_ID = new ObjectId().toHexString();

    static final String OTHER_ID = new ObjectId().toHexString();

    @DynamicPropertySource
    static void userServiceUrl(DynamicPropertyRegistry registry) {
        registry.add("shop.remote.user-service", userService::url);
    }

    @AfterAll
    static void stopUserService() {
        userService.stop();
    }

    /** The callers: the header they send, if any. Expired and forged tokens are the owner's own id. */
    enum Caller {
        NO_TOKEN(() -> null),
        EXPIRED_TOKEN(() -> TestSecurity.expiredUserToken(OWNER_ID)),
        FORGED_TOKEN(() -> TestSecurity.forgedUserToken(OWNER_ID)),
        ANOTHER_USER(() -> TestSecurity.userToken(OTHER_ID)),
        OWNER(() -> TestSecurity.userToken(OWNER_ID)),
        SERVICE(() -> TestSecurity.serviceToken("user-service"));

        final Supplier<String> token;

        Caller(Supplier<String> token) {
            this.token = token;
        }
    }

    /** The endpoints, each with a request that would succeed for the owner. */
    enum Endpoint {
        GET_ONE(HttpMethod.GET, id -> "/products/" + id, null),
        GET_BATCH(HttpMethod.GET, id -> "/products?ids=" + id, null),
        GET_PAGE(HttpMethod.GET, id -> "/products?page=0&size=5&sort=title&userId=" + OWNER_ID, null),
        GET_OWNED(HttpMethod.GET, id -> "/products/owned?userId=" + OWNER_ID + "&sort=price,desc&limit=3", null),
        CREATE(HttpMethod.POST, id -> "/products", newProduct()),
        CHANGE(HttpMethod.PATCH, id -> "/products/" + id, Map.of("title", "Changed", "price", new BigDecimal("5.00"))),
        DELETE(HttpMethod.DELETE, id -> "/products/" + id, null),
        /** user-service's call when the owner is deleted. */
        DELETE_ALL_OF_OWNER(HttpMethod.DELETE, id -> "/internal/users/" + OWNER_ID + "/products", null);

        final HttpMethod method;

        final Function<String, String> uri;

        final Map<String, Object> body;

        Endpoint(HttpMethod method, Function<String, String> uri, Map<String, Object> body) {
            this.method = method;
            this.uri = uri;
            this.body = body;
        }

        boolean isWrite() {
            return method != HttpMethod.GET;
        }
    }

    /** Expected statuses, by caller in the order of {@link Caller}: none, expired, forged, another user, owner, service. */
    static Stream<Arguments> matrix() {
        return Stream.of(
                        row(Endpoint.GET_ONE, 200, 401, 401, 200, 200, 200),
                        row(Endpoint.GET_BATCH, 200, 401, 401, 200, 200, 200),
                        row(Endpoint.GET_PAGE, 200, 401, 401, 200, 200, 200),
                        row(Endpoint.GET_OWNED, 200, 401, 401, 200, 200, 200),
                        row(Endpoint.CREATE, 401, 401, 401, 403, 201, 403),
                        row(Endpoint.CHANGE, 401, 401, 401, 403, 200, 403),
                        row(Endpoint.DELETE, 401, 401, 401, 403, 204, 403),
                        row(Endpoint.DELETE_ALL_OF_OWNER, 401, 401, 401, 403, 403, 200))
                .flatMap(Function.identity());
    }

    private static Stream<Arguments> row(Endpoint endpoint, int... statuses) {
        Caller[] callers = Caller.values();
        assertThat(statuses).hasSameSizeAs(callers);
        return Stream.iterate(0, i -> i + 1).limit(callers.length)
                .map(i -> Arguments.of(endpoint, callers[i], HttpStatus.valueOf(statuses[i])));
    }

    @LocalServerPort
    int port;

    @Autowired
    ReactiveMongoTemplate mongo;

    WebTestClient web;

    /** The product of {@link #OWNER_ID} that every case starts from, fresh for each case. */
    final ObjectId product = new ObjectId();

    @BeforeEach
    void oneProductOfTheOwner() {
        web = TestClients.oneConnectionPerRequest(port);
        mongo.remove(new Query(), "products").block();
        mongo.insert(new Product(product, "Lamp", "https://img.example.com/lamp.png", new BigDecimal("19.99"),
                "A desk lamp", new ObjectId(OWNER_ID), null)).block();
        userService.reset();
        userService.userExists(OWNER_ID);
        userService.userExists(OTHER_ID);
        userService.cartCleanupWorks();
    }

    @Test
    void readsAreAsOpenToHeadOptionsAndATrailingSlashAsToGet() {
        web.head().uri("/products/" + product.toHexString()).exchange().expectStatus().isOk();
        web.head().uri("/products").exchange().expectStatus().isOk();
        web.options().uri("/products/" + product.toHexString()).exchange().expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ALLOW, allow -> assertThat(allow).contains("GET"));
        web.options().uri("/products").exchange().expectStatus().isOk();
        web.get().uri("/products/" + product.toHexString() + "/").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.title").isEqualTo("Lamp");
        web.get().uri("/products/").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.content[0].title").isEqualTo("Lamp");
    }

    @Test
    void aTrailingSlashOpensNoWrite() {
        web.delete().uri("/products/" + product.toHexString() + "/").exchange().expectStatus().isUnauthorized();
        web.options().uri("/products/x/y").exchange().expectStatus().isUnauthorized();
    }

    @AfterEach
    void everyCallToUserServiceCarriedAServiceToken() {
        userService.assertEveryCallCarriedAServiceToken();
    }

    @ParameterizedTest(name = "{0} by {1}: {2}")
    @MethodSource("matrix")
    void eachEndpointAnswersEachCallerAsTheRulesSay(Endpoint endpoint, Caller caller, HttpStatus expected) {
        List<Document> before = store();

        WebTestClient.RequestBodySpec request = web.method(endpoint.method).uri(endpoint.uri.apply(product.toHexString()));
        String token = caller.token.get();
        if (token != null) {
            request.headers(headers -> headers.setBearerAuth(token));
        }
        if (endpoint.body != null) {
            request.contentType(MediaType.APPLICATION_JSON).bodyValue(endpoint.body);
        }
        WebTestClient.ResponseSpec response = request.exchange().expectStatus().isEqualTo(expected);

        if (expected.isError()) {
            if (expected == HttpStatus.UNAUTHORIZED) {
                response.expectHeader().value(HttpHeaders.WWW_AUTHENTICATE,
                        challenge -> assertThat(challenge).startsWith("Bearer"));
            }
            response.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(expected.value());
            assertThat(store()).as("the store after a refused " + endpoint).isEqualTo(before);
            return;
        }
        if (!endpoint.isWrite()) {
            response.expectBody(String.class).value(body -> assertThat(body).contains(product.toHexString()));
            assertThat(store()).as("the store after a read").isEqualTo(before);
            return;
        }
        assertThat(store()).as("the store after the " + caller + "'s " + endpoint).isNotEqualTo(before);
        Document stored = mongo.findById(product, Document.class, "products").block();
        switch (endpoint) {
            case CREATE -> assertThat(store()).hasSize(2).allSatisfy(
                    document -> assertThat(document.get("userId")).isEqualTo(new ObjectId(OWNER_ID)));
            case CHANGE -> assertThat(stored.getString("title")).isEqualTo("Changed");
            case DELETE, DELETE_ALL_OF_OWNER -> assertThat(stored == null || stored.get("deletion") != null)
                    .as("deleted (a tombstone, or already gone)").isTrue();
            default -> throw new IllegalStateException(endpoint.toString());
        }
    }

    /**
     * product-service trusts user-service's credential only: the gateway's (products are public, its
     * lookups carry the caller's token or none) and another service's key posing as user-service are 401s.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("untrustedServiceTokens")
    void aServiceTokenOtherThanUserServicesIsRefused(String what, String token) {
        web.get().uri("/products/" + product.toHexString()).headers(headers -> headers.setBearerAuth(token)).exchange()
                .expectStatus().isUnauthorized();
    }

    static Stream<Arguments> untrustedServiceTokens() {
        return Stream.of(Arguments.of("the gateway's", TestSecurity.serviceToken("gateway")),
                Arguments.of("the gateway's key posing as user-service", TestSecurity.serviceTokenClaiming("gateway",
                        ServiceCredentials.issuerOf("user-service"), "user-service")));
    }

    private List<Document> store() {
        return mongo.find(new Query(), Document.class, "products").collectList().block();
    }

    private static Map<String, Object> newProduct() {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("title", "Chair");
        product.put("imageUrl", "https://img.example.com/chair.png");
        product.put("price", new BigDecimal("49.00"));
        product.put("description", "A chair");
        product.put("userId", OWNER_ID);
        return product;
    }
}
