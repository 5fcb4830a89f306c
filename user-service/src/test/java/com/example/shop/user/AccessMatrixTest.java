package com.example.shop.user;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.ServiceCredentials;
import com.example.shop.security.test.TestSecurity;
import com.example.shop.user.user.domain.User;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what: every endpoint of user-service against every kind of caller. Each case starts from
 * the same store: {@code user} (whose resources the requests address, with one product in its cart) and
 * {@code other}. A refused request (401, 403) changes nothing.
 */
class AccessMatrixTest extends ApiTestSupport {

    /**
     * The callers: without a token, with an access token that does not pass, another user, the user
     * itself, product-service, the gateway (whose own credential is trusted, as a public viewer), a service
     * user-service does not trust, and forgeries: the gateway's key posing as product-service, and
     * product-service's key claiming the gateway's issuer or naming it as subject (a service is who its key
     * says, never whom it names).
     */
    enum Who {
        NO_TOKEN, EXPIRED_TOKEN, FORGED_TOKEN, OTHER_USER, THE_USER, PRODUCT_SERVICE, GATEWAY, UNTRUSTED_SERVICE,
        GATEWAY_KEY_CLAIMING_PRODUCT_SERVICE, PRODUCT_SERVICE_KEY_CLAIMING_GATEWAY, PRODUCT_SERVICE_KEY_NAMING_GATEWAY
    }

    record Fixture(String user, String other, String product) {
    }

    /**
     * One endpoint: the method, the path ({@code {user}}, {@code {product}} filled in from the fixture), a
     * body made from the fixture (or null), and the status for each {@link Who}, in order.
     */
    record Endpoint(String name, HttpMethod method, String path, Function<Fixture, Object> body, int[] statuses,
            boolean readsUsers) {

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The statuses of one endpoint for each {@link Who}, in order: a token that does not pass (expired,
     * forged, untrusted, posing) is a 401 everywhere, even where no token is needed.
     */
    private static int[] statuses(int noToken, int otherUser, int theUser, int productService, int gateway) {
        return new int[] {noToken, 401, 401, otherUser, theUser, productService, gateway, 401, 401, 401, 401};
    }

    private static final int[] OPEN = statuses(200, 200, 200, 200, 200);

    private static final int[] SIGN_UP = statuses(201, 201, 201, 201, 201);

    private static final int[] SIGNED_IN = statuses(401, 200, 200, 200, 200);

    private static final int[] USER_ONLY = statuses(401, 403, 200, 403, 403);

    private static final int[] USER_ONLY_DELETE = statuses(401, 403, 204, 403, 403);

    private static final int[] PRODUCT_SERVICE_ONLY = statuses(401, 403, 403, 200, 403);

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST /users (sign-up)", HttpMethod.POST, "/users",
                    f -> Map.of("name", "New", "email", UUID.randomUUID() + "@example.com", "password", PASSWORD), SIGN_UP, false),
            new Endpoint("POST /auth/token", HttpMethod.POST, "/auth/token",
                    f -> Map.of("email", "user@example.com", "password", PASSWORD), OPEN, false),
            new Endpoint("GET /auth/jwks", HttpMethod.GET, "/auth/jwks", null, OPEN, false),
            new Endpoint("GET /.well-known/jwks.json", HttpMethod.GET, "/.well-known/jwks.json", null, OPEN, false),
            new Endpoint("GET /users/{id}", HttpMethod.GET, "/users/{user}", null, SIGNED_IN, true),
            new Endpoint("GET /users?ids=", HttpMethod.GET, "/users?ids={user},{other}", null, SIGNED_IN, true),
            new Endpoint("GET /users?page=", HttpMethod.GET, "/users?page=0&size=10", null, SIGNED_IN, true),
            new Endpoint("PATCH /users/{id}", HttpMethod.PATCH, "/users/{user}", f -> Map.of("name", "Renamed"), USER_ONLY, false),
            new Endpoint("DELETE /users/{id}", HttpMethod.DELETE, "/users/{user}", null, USER_ONLY_DELETE, false),
            new Endpoint("GET /users/{id}/cart", HttpMethod.GET, "/users/{user}/cart", null, USER_ONLY, false),
            new Endpoint("POST /users/{id}/cart/items", HttpMethod.POST, "/users/{user}/cart/items",
                    f -> Map.of("productId", new ObjectId().toHexString(), "quantity", 1), USER_ONLY, false),
            new Endpoint("PUT /users/{id}/cart/items/{productId}", HttpMethod.PUT, "/users/{user}/cart/items/{product}",
                    f -> Map.of("quantity", 2), USER_ONLY, false),
            new Endpoint("DELETE /users/{id}/cart/items/{productId}", HttpMethod.DELETE,
                    "/users/{user}/cart/items/{product}", null, USER_ONLY, false),
            new Endpoint("DELETE /users/{id}/cart", HttpMethod.DELETE, "/users/{user}/cart", null, USER_ONLY, false),
            new Endpoint("DELETE /internal/carts/items/{productId}", HttpMethod.DELETE, "/internal/carts/items/{product}",
                    null, PRODUCT_SERVICE_ONLY, false));

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Who who : Who.values()) {
                cases.add(Arguments.of(endpoint, who, endpoint.statuses()[who.ordinal()]));
            }
        }
        return cases.stream();
    }

    Fixture fixture;

    @BeforeEach
    void twoUsersOneWithACart() {
        String user = createUser("User", "user@example.com");
        String other = createUser("Other", "other@example.com");
        String product = new ObjectId().toHexString();
        as(user).post().uri("/users/{id}/cart/items", user).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("productId", product, "quantity", 3)).exchange().expectStatus().isOk();
        fixture = new Fixture(user, other, product);
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    void eachCallerGetsWhatTheRulesSay(Endpoint endpoint, Who who, int expected) {
        User userBefore = document(fixture.user());
        User otherBefore = document(fixture.other());

        EntityExchangeResult<byte[]> result = request(endpoint, who).exchange()
                .expectStatus().isEqualTo(expected)
                .expectBody().returnResult();

        if (expected == 401) {
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        }
        if (expected >= 400) {
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(document(fixture.user())).as("refused: nothing changed").isEqualTo(userBefore);
            assertThat(document(fixture.other())).isEqualTo(otherBefore);
        }
        if (endpoint.readsUsers() && expected == 200) {
            expectViews(endpoint, who);
        }
    }

    /** The user itself sees email and cart; another user and every service (the gateway too) only id and name. */
    private void expectViews(Endpoint endpoint, Who who) {
        Set<String> full = Set.of("id", "name", "email", "cart");
        Set<String> publicView = Set.of("id", "name");
        Map<String, Set<String>> expected = switch (who) {
            case OTHER_USER -> Map.of(fixture.user(), publicView, fixture.other(), full);
            case THE_USER -> Map.of(fixture.user(), full, fixture.other(), publicView);
            case PRODUCT_SERVICE, GATEWAY -> Map.of(fixture.user(), publicView, fixture.other(), publicView);
            default -> throw new IllegalStateException(who + " reads nothing");
        };
        List<Map<String, Object>> users = readUsers(endpoint, who);
        assertThat(users).isNotEmpty();
        for (Map<String, Object> user : users) {
            assertThat(user.keySet()).as("keys of %s seen by %s", user.get("id"), who)
                    .isEqualTo(expected.get((String) user.get("id")));
        }
    }

    private List<Map<String, Object>> readUsers(Endpoint endpoint, Who who) {
        var spec = request(endpoint, who).exchange().expectStatus().isOk();
        return switch (endpoint.name()) {
            case "GET /users/{id}" -> List.of(spec.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
            }).returnResult().getResponseBody());
            case "GET /users?ids=" -> spec.expectBodyList(new ParameterizedTypeReference<Map<String, Object>>() {
            }).returnResult().getResponseBody();
            default -> (List<Map<String, Object>>) spec.expectBody(Map.class).returnResult().getResponseBody().get("content");
        };
    }

    @Test
    void forbiddenComesBeforeNotFoundAndBeforeABadIdOrBody() {
        String nobody = new ObjectId().toHexString();
        WebTestClient other = as(fixture.other());
        // another user learns nothing about whether a user exists, nor is its body even read
        other.patch().uri("/users/{id}", nobody).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "X")).exchange().expectStatus().isForbidden();
        other.delete().uri("/users/{id}", nobody).exchange().expectStatus().isForbidden();
        other.get().uri("/users/{id}/cart", nobody).exchange().expectStatus().isForbidden();
        other.post().uri("/users/{id}/cart/items", nobody).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"quantity\": \"not even valid\"}").exchange().expectStatus().isForbidden();
        other.patch().uri("/users/not-an-id").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "X")).exchange().expectStatus().isForbidden();
        asService().delete().uri("/users/{id}/cart", nobody).exchange().expectStatus().isForbidden();
        asService().get().uri("/users/{id}/cart", nobody).exchange().expectStatus().isForbidden();
        // who may read gets the 404 (and the 400 for a malformed id)
        as(nobody).get().uri("/users/{id}/cart", nobody).exchange().expectStatus().isNotFound();
        other.get().uri("/users/{id}", nobody).exchange().expectStatus().isNotFound();
        expectProblem(other.get().uri("/users/not-an-id").exchange(), HttpStatus.BAD_REQUEST, "id");
    }

    @Test
    void anAccessTokenFromSignInOpensOnlyItsOwnUser() {
        String token = web.post().uri("/auth/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "user@example.com", "password", PASSWORD)).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("access_token").toString();
        WebTestClient signedIn = withToken(token);
        signedIn.get().uri("/users/{id}/cart", fixture.user()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].quantity").isEqualTo(3);
        signedIn.patch().uri("/users/{id}", fixture.user()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Me")).exchange().expectStatus().isOk();
        signedIn.patch().uri("/users/{id}", fixture.other()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Not me")).exchange().expectStatus().isForbidden();
        signedIn.delete().uri("/internal/carts/items/{p}", fixture.product()).exchange().expectStatus().isForbidden();
    }

    private WebTestClient.RequestHeadersSpec<?> request(Endpoint endpoint, Who who) {
        WebTestClient client = switch (who) {
            case NO_TOKEN -> web;
            case EXPIRED_TOKEN -> withToken(TestSecurity.expiredUserToken(fixture.user()));
            case FORGED_TOKEN -> withToken(TestSecurity.forgedUserToken(fixture.user()));
            case OTHER_USER -> as(fixture.other());
            case THE_USER -> as(fixture.user());
            case PRODUCT_SERVICE -> asService();
            case GATEWAY -> withToken(TestSecurity.serviceToken("gateway"));
            case UNTRUSTED_SERVICE -> withToken(TestSecurity.serviceToken("billing-service"));
            case GATEWAY_KEY_CLAIMING_PRODUCT_SERVICE -> withToken(TestSecurity.serviceTokenClaiming("gateway",
                    ServiceCredentials.issuerOf("product-service"), "product-service"));
            case PRODUCT_SERVICE_KEY_CLAIMING_GATEWAY -> withToken(TestSecurity.serviceTokenClaiming("product-service",
                    ServiceCredentials.issuerOf("gateway"), "gateway"));
            case PRODUCT_SERVICE_KEY_NAMING_GATEWAY -> withToken(TestSecurity.serviceTokenClaiming("product-service",
                    ServiceCredentials.issuerOf("product-service"), "gateway"));
        };
        String uri = endpoint.path().replace("{user}", fixture.user()).replace("{other}", fixture.other())
                .replace("{product}", fixture.product());
        WebTestClient.RequestBodySpec spec = client.method(endpoint.method()).uri(uri);
        return endpoint.body() == null ? spec
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(endpoint.body().apply(fixture));
    }

    private User document(String id) {
        return mongo.findById(new ObjectId(id), User.class).block(Duration.ofSeconds(30));
    }
}
