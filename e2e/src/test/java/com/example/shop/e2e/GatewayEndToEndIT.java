package com.example.shop.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;

import static com.example.shop.e2e.Account.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of the real user-service and product-service (a {@link Shop}: each a JVM started
 * from the jar of this build, the services on the in-memory store, shared with the other end-to-end classes).
 * Backend calls are counted where they arrive: each service's {@code http.server.requests} metric for the
 * batch endpoint's {@code uri}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Services.Shared.class)
class GatewayEndToEndIT {

    /** Reads decimals as written, so that a test can see the gateway keep them exactly. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static Shop shop;

    private static ServiceProcess users;

    private static ServiceProcess products;

    private static ServiceProcess gatewayProcess;

    private static void startServices(Services services) {
        // every account here signs up through the gateway, from one address: the per-address limit is raised for them
        // the populate cache off: the tests count the lookups that reach the services
        shop = Shop.start(services, "--shop.gateway.sign-in-limit.capacity=1000", "--shop.populate.cache.ttl=0");
        users = shop.users();
        products = shop.products();
        gatewayProcess = shop.gateway();
    }

    @AfterAll
    static void stopServices() {
        if (shop != null) {
            shop.stop();
        }
    }

    int port;

    WebTestClient gateway;

    String ada;

    String bob;

    String gone;

    Account adaAccount;

    Account bobAccount;

    Account goneAccount;

    String lamp;

    String desk;

    String chair;

    String orphan;

    @BeforeAll
    void seed(Services services) {
        startServices(services);
        port = gatewayProcess.port();
        gateway = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20))
                .build();
        adaAccount = Account.signUp(gateway, "Ada");
        bobAccount = Account.signUp(gateway, "Bob");
        goneAccount = Account.signUp(gateway, "Gone");
        ada = adaAccount.id();
        bob = bobAccount.id();
        gone = goneAccount.id();
        lamp = create("/api/products", product("Lamp", "19.90", ada), adaAccount);
        desk = create("/api/products", product("Desk", "120.00", bob), bobAccount);
        chair = create("/api/products", product("Chair", "45.50", bob), bobAccount);
        orphan = create("/api/products", product("Orphan", "1.00", gone), goneAccount);
        addToCart(bobAccount, orphan, 1);
        gateway.delete().uri("/api/users/{id}", gone).headers(as(goneAccount)).exchange().expectStatus().isNoContent();
        // user-service's sweep has product-service delete the user's products
        WebTestClient productService = WebTestClient.bindToServer().baseUrl(products.baseUrl()).build();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                productService.get().uri("/products/" + orphan).exchange().expectStatus().isNotFound());
        addToCart(adaAccount, desk, 2);
        addToCart(adaAccount, lamp, 1);
    }

    private static String product(String title, String price, String owner) {
        return "{\"title\":\"" + title + "\",\"imageUrl\":\"https://example.com/" + title + ".png\",\"price\":" + price
                + ",\"description\":\"A " + title + "\",\"userId\":\"" + owner + "\"}";
    }

    private String create(String path, String body, Account account) {
        byte[] created = gateway.post().uri(path).headers(as(account)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(created).get("id").stringValue();
    }

    private void addToCart(Account user, String product, int quantity) {
        gateway.post().uri("/api/users/{id}/cart/items", user.id()).headers(as(user)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}")
                .exchange().expectStatus().isOk();
    }

    /** An anonymous GET. */
    private JsonNode get(String uri) {
        return get(uri, null);
    }

    private JsonNode get(String uri, Account account) {
        return JSON.readTree(gateway.get().uri(uri).headers(as(account)).exchange().expectStatus().isOk()
                .expectHeader().doesNotExist(ServiceProcess.UNRESOLVED_HEADER)
                .expectBody().returnResult().getResponseBody());
    }

    private static long served(ServiceProcess service, String uri) {
        return service.servedGets(uri);
    }

    /**
     * Runs {@code request} and checks how many GETs of {@code /users} and {@code /products} (the batch
     * lookups, and the page or item requests themselves when the test makes them directly) each service served.
     */
    private void expectLookups(Runnable request, long userLookups, long productLookups) {
        long usersBefore = served(users, "/users");
        long productsBefore = served(products, "/products");
        request.run();
        // the services record a request when it completes, a moment after the gateway has its answer
        await().atMost(Duration.ofSeconds(5)).until(() -> served(users, "/users") >= usersBefore + userLookups
                && served(products, "/products") >= productsBefore + productLookups);
        assertThat(served(users, "/users") - usersBefore).as("lookups served by user-service").isEqualTo(userLookups);
        assertThat(served(products, "/products") - productsBefore).as("lookups served by product-service")
                .isEqualTo(productLookups);
    }

    @Test
    void aSingleProductGetsItsOwner() {
        expectLookups(() -> {
            JsonNode product = get("/api/products/" + lamp + "?populate=userId");
            assertThat(product.get("userId").get("id").stringValue()).isEqualTo(ada);
            assertThat(product.get("userId").get("name").stringValue()).isEqualTo("Ada");
            JsonNode direct = JSON.readTree(WebTestClient.bindToServer().baseUrl(products.baseUrl()).build().get()
                    .uri("/products/" + lamp).exchange().expectBody().returnResult().getResponseBody());
            assertThat(product.get("price").toString()).isEqualTo(direct.get("price").toString());
        }, 1, 0);
    }

    @Test
    void aPageOfProductsGetsAllOwnersInOneCallAndADeletedUsersProductsAreGone() {
        expectLookups(() -> {
            JsonNode page = get("/api/products?page=0&size=100&populate=userId");
            Map<String, JsonNode> owners = new HashMap<>();
            page.get("content").forEach(product -> owners.put(product.get("id").stringValue(), product.get("userId")));
            assertThat(owners.get(lamp).get("name").stringValue()).isEqualTo("Ada");
            assertThat(owners.get(desk).get("name").stringValue()).isEqualTo("Bob");
            assertThat(owners.get(chair).get("name").stringValue()).isEqualTo("Bob");
            // the store is shared with the other end-to-end classes, whose products may be on the page too
            assertThat(owners).containsKeys(lamp, desk, chair).doesNotContainKey(orphan);
            assertThat(owners.values()).as("every product's owner, none of them a deleted user")
                    .allSatisfy(owner -> assertThat(owner.path("name").isString()).isTrue());
        }, 1, 1);
    }

    @Test
    void aDeletedUsersProductsLeaveEveryCartAndItsTokenChangesNothing() {
        gateway.get().uri("/api/products/" + orphan + "?populate=userId").exchange().expectStatus().isNotFound();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                get("/api/users/" + bob + "/cart", bobAccount).findValuesAsString("productId")).doesNotContain(orphan));

        gateway.get().uri("/api/users/" + gone).headers(as(adaAccount)).exchange().expectStatus().isNotFound();
        gateway.post().uri("/api/products").headers(as(goneAccount)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(product("Revenant", "1.00", gone)).exchange()
                .expectStatus().isEqualTo(422);
        gateway.patch().uri("/api/products/" + orphan).headers(as(goneAccount)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"price\": 2.00}").exchange()
                .expectStatus().isForbidden();
        gateway.patch().uri("/api/users/" + gone).headers(as(goneAccount)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"Back\"}").exchange()
                .expectStatus().isNotFound();
        gateway.post().uri("/api/users/{id}/cart/items", gone).headers(as(goneAccount)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"productId\":\"" + lamp + "\",\"quantity\":1}").exchange()
                .expectStatus().isNotFound();
        assertThat(get("/api/products?page=0&size=100&userId=" + gone).get("page").get("totalElements").asLong()).isZero();
    }

    @Test
    void aCartGetsItsProducts() {
        expectLookups(() -> {
            JsonNode cart = get("/api/users/" + ada + "/cart?populate=items.productId", adaAccount);
            assertThat(cart.get("items")).hasSize(2);
            assertThat(cart.findValuesAsString("title")).containsExactlyInAnyOrder("Desk", "Lamp");
        }, 0, 1);
    }

    @Test
    void aUsersCartProductsGetTheirOwnersOneLevelAtATime() {
        expectLookups(() -> {
            JsonNode user = get("/api/users/" + ada + "?populate=cart.items.productId.userId", adaAccount);
            JsonNode items = user.get("cart").get("items");
            for (JsonNode item : items) {
                JsonNode product = item.get("productId");
                String owner = product.get("title").stringValue().equals("Lamp") ? "Ada" : "Bob";
                assertThat(product.get("userId").get("name").stringValue()).isEqualTo(owner);
            }
        }, 1, 1);
    }

    @Test
    void aSelectionKeepsOnlyTheNamedFieldsOfWhatTheCallerMaySee() {
        JsonNode asOwner = get("/api/products/" + desk + "?populate=userId(name,email)", bobAccount);
        assertThat(asOwner.get("userId").propertyNames()).containsExactlyInAnyOrder("id", "name", "email");
        assertThat(asOwner.get("title").stringValue()).isEqualTo("Desk");

        JsonNode asOther = get("/api/products/" + desk + "?populate=userId(name,email)", adaAccount);
        assertThat(asOther.get("userId").propertyNames()).as("another user's public view").containsExactlyInAnyOrder("id", "name");
        JsonNode anonymous = get("/api/products/" + desk + "?populate=userId.cart.items.productId");
        assertThat(anonymous.get("userId").propertyNames()).containsExactlyInAnyOrder("id", "name");
    }

    @Test
    void severalPathsTogether() {
        JsonNode users = get("/api/users?ids=" + ada + "," + bob + "&populate=cart.items.productId(title)"
                + "&populate=cart.items.productId.userId(name)", adaAccount);

        JsonNode adaCart = users.get(0).get("id").stringValue().equals(ada) ? users.get(0) : users.get(1);
        assertThat(adaCart.get("cart").get("items").get(0).get("productId").propertyNames())
                .containsExactlyInAnyOrder("id", "title", "userId");
    }

    @Test
    void anUnknownPathIsRejectedWithTheAllowedOnes() {
        gateway.get().uri("/api/users/" + ada + "?populate=friends").headers(as(adaAccount)).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.allowed[0]").isEqualTo("cart.items.productId");
    }

    @Test
    void aServicesProblemPassesThroughUnchanged() {
        String missing = "0123456789abcdef01234567";
        byte[] direct = WebTestClient.bindToServer().baseUrl(products.baseUrl()).build().get()
                .uri("/products/" + missing).exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();

        gateway.get().uri("/api/products/" + missing + "?populate=userId").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().consumeWith(result -> assertThat(result.getResponseBody()).isEqualTo(direct));
    }

    // ---- populate on writes (issue 21)

    /** A write through the gateway with {@code populate}: its answer, whatever its status. */
    private static WebTestClient.ResponseSpec write(WebTestClient gateway, HttpMethod method, String uri, Account account,
            String body) {
        return gateway.method(method).uri(uri).headers(as(account)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private static JsonNode body(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody().returnResult().getResponseBody());
    }

    @Test
    void eachWriteKindAnswersItsDocumentPopulatedAndIsMadeOnce() {
        Account cara = Account.signUp(gateway, "Cara");
        String cart = "/api/users/" + cara.id() + "/cart";

        // POST: a cart line added, the cart answered with its products
        JsonNode added = body(write(gateway, HttpMethod.POST, cart + "/items?populate=items.productId", cara,
                "{\"productId\":\"" + lamp + "\",\"quantity\":2}")
                .expectStatus().isOk().expectHeader().doesNotExist(ServiceProcess.UNRESOLVED_HEADER));
        assertThat(added.get("items")).singleElement().satisfies(item -> {
            assertThat(item.get("productId").get("id").stringValue()).isEqualTo(lamp);
            assertThat(item.get("productId").get("title").stringValue()).isEqualTo("Lamp");
            assertThat(item.get("quantity").asInt()).as("added once").isEqualTo(2);
        });
        // PUT: a line's quantity set, with the product's owner too
        JsonNode set = body(write(gateway, HttpMethod.PUT, cart + "/items/" + lamp + "?populate=items.productId.userId(name)",
                cara, "{\"quantity\":3}").expectStatus().isOk());
        assertThat(set.at("/items/0/productId/userId/name").stringValue()).isEqualTo("Ada");
        assertThat(set.at("/items/0/quantity").asInt()).isEqualTo(3);
        // PATCH: the user changed, with its cart's products
        JsonNode renamed = body(write(gateway, HttpMethod.PATCH, "/api/users/" + cara.id() + "?populate=cart.items.productId",
                cara, "{\"name\":\"Cara Lane\"}").expectStatus().isOk());
        assertThat(renamed.get("name").stringValue()).isEqualTo("Cara Lane");
        assertThat(renamed.at("/cart/items/0/productId/title").stringValue()).isEqualTo("Lamp");
        // POST answering 201: a product created, with its owner
        JsonNode created = body(write(gateway, HttpMethod.POST, "/api/products?populate=userId", cara,
                product("Stool", "12.00", cara.id())).expectStatus().isCreated()
                .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).startsWith("/api/products/")));
        assertThat(created.get("userId").get("name").stringValue()).isEqualTo("Cara Lane");
        // PATCH of a product, with its owner's products
        String stool = created.get("id").stringValue();
        JsonNode changed = body(write(gateway, HttpMethod.PATCH, "/api/products/" + stool + "?populate=userId.products(title)",
                cara, "{\"price\": 13.00}").expectStatus().isOk());
        assertThat(changed.get("price").decimalValue()).isEqualByComparingTo("13.00");
        assertThat(changed.get("userId").get("products").findValuesAsString("title")).containsExactly("Stool");

        assertThat(get(cart, cara).at("/items/0/quantity").asInt()).isEqualTo(3);
        assertThat(get("/api/products?page=0&size=100&userId=" + cara.id()).get("page").get("totalElements").asLong())
                .as("one product created").isEqualTo(1);
    }

    @Test
    void aBadSpecOnAWriteIsRefusedAndChangesNothing() {
        Account dan = Account.signUp(gateway, "Dan");
        String cart = "/api/users/" + dan.id() + "/cart";
        JsonNode before = get(cart, dan);

        for (String bad : List.of("friends", "items.productId[limit=3]", "items..productId")) {
            write(gateway, HttpMethod.POST, cart + "/items?populate=" + bad, dan,
                    "{\"productId\":\"" + lamp + "\",\"quantity\":1}")
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("populate");
        }
        write(gateway, HttpMethod.PATCH, "/api/products/" + lamp + "?populate=owner", adaAccount, "{\"price\": 1.00}")
                .expectStatus().isBadRequest();
        write(gateway, HttpMethod.DELETE, cart + "?populate=items.productId", dan, "{}").expectStatus().isBadRequest();

        assertThat(get(cart, dan)).isEqualTo(before);
        assertThat(get("/api/products/" + lamp).get("price").decimalValue()).isEqualByComparingTo("19.90");
    }

    @Test
    void aLookupThatFailsLeavesTheWriteDoneAndTheAnswerMarked() {
        // a gateway of this test's own whose product-service is unreachable: its product lookups fail, while the cart
        // write goes to user-service (which reaches the real product-service itself)
        ServiceProcess blind = ServiceProcess.startGateway(users.baseUrl(), "http://localhost:" + ServiceProcess.freePort(),
                "--shop.gateway.sign-in-limit.capacity=1000", "--shop.populate.cache.ttl=0");
        try {
            blind.awaitReady(Duration.ofSeconds(120));
            WebTestClient viaBlind = WebTestClient.bindToServer().baseUrl("http://localhost:" + blind.port())
                    .responseTimeout(Duration.ofSeconds(20)).build();
            Account eve = Account.signUp(gateway, "Eve");

            JsonNode cart = body(write(viaBlind, HttpMethod.POST, "/api/users/" + eve.id() + "/cart/items?populate=items.productId",
                    eve, "{\"productId\":\"" + desk + "\",\"quantity\":1}")
                    .expectStatus().isOk()
                    .expectHeader().valueEquals(ServiceProcess.UNRESOLVED_HEADER, "items.productId"));

            assertThat(cart.at("/items/0/productId").stringValue()).as("left as the id").isEqualTo(desk);
            assertThat(get("/api/users/" + eve.id() + "/cart", eve).get("items")).singleElement()
                    .satisfies(item -> assertThat(item.get("quantity").asInt()).as("written once").isEqualTo(1));
        }
        finally {
            blind.stop();
        }
    }

    /** Every public operation of the services, as the gateway must publish it: "GET /api/users/{id}", ... */
    private static Set<String> publicOperations(ServiceProcess service, String... resourcePaths) {
        JsonNode document = JSON.readTree(WebTestClient.bindToServer().baseUrl(service.baseUrl()).build().get()
                .uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        Set<String> operations = new TreeSet<>();
        document.get("paths").properties().forEach(path -> {
            if (java.util.Arrays.stream(resourcePaths).anyMatch(path.getKey()::startsWith)) {
                path.getValue().propertyNames().forEach(method -> operations.add(method.toUpperCase() + " /api" + path.getKey()));
            }
        });
        assertThat(operations).as("public operations of " + service.baseUrl()).isNotEmpty();
        return operations;
    }

    @Test
    void theGatewaysApiDocumentListsEveryPublicOperationWithPopulateAndNoInternalPath() {
        JsonNode document = JSON.readTree(gateway.get().uri("/api/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        Set<String> published = new TreeSet<>();
        document.get("paths").properties().forEach(path ->
                path.getValue().propertyNames().forEach(method -> published.add(method.toUpperCase() + " " + path.getKey())));
        Set<String> expected = new TreeSet<>(publicOperations(users, "/users", "/auth"));
        expected.addAll(publicOperations(products, "/products"));

        assertThat(document.get("openapi").stringValue()).startsWith("3.1");
        assertThat(published).isEqualTo(expected);
        assertThat(published).noneMatch(operation -> operation.contains("/internal"));
        Map<String, String> populatable = Map.of("/api/users", "cart.items.productId", "/api/users/{id}",
                "cart.items.productId.userId", "/api/users/{id}/cart", "items.productId", "/api/products", "userId",
                "/api/products/{id}", "userId.cart.items.productId");
        document.get("paths").properties().forEach(path -> {
            JsonNode get = path.getValue().get("get");
            List<JsonNode> populate = get == null ? List.of() : get.path("parameters").valueStream()
                    .filter(parameter -> parameter.get("name").stringValue().equals("populate")).toList();
            String shape = path.getKey().replaceAll("\\{[^}]*}", "{id}");
            if (populatable.containsKey(shape)) {
                assertThat(populate).as("populate of GET " + path.getKey()).singleElement().satisfies(parameter ->
                        assertThat(parameter.get("description").stringValue()).contains("populate := spec",
                                "`" + populatable.get(shape) + "`"));
                assertThat(get.get("responses").get("200").get("headers").has(ServiceProcess.UNRESOLVED_HEADER)).isTrue();
            }
            else {
                assertThat(populate).as("populate of " + path.getKey()).isEmpty();
            }
        });
        JsonNode addItem = document.get("paths").get("/api/users/{userId}/cart/items").get("post");
        assertThat(addItem.get("parameters").valueStream().map(parameter -> parameter.get("name").stringValue()))
                .as("populate on a write that answers the cart").contains("populate");
        assertThat(document.get("paths").get("/api/users/{userId}/cart").get("delete").path("parameters").valueStream()
                .map(parameter -> parameter.get("name").stringValue())).doesNotContain("populate");
        gateway.get().uri("/api/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        gateway.get().uri("/api/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    @Test
    void internalEndpointsExistButAreUnreachableThroughTheGatewayAndNeedProductServicesCredential() {
        String cleanup = "/internal/carts/items/" + orphan;
        for (String path : List.of(cleanup, "/api" + cleanup)) {
            gateway.delete().uri(URI.create("http://localhost:" + port + path)).headers(as(adaAccount)).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        for (String path : List.of("/api/users/..%2F..%2Finternal/carts/items/" + orphan,
                "/api/users/%2e%2e/%2e%2e/internal/carts/items/" + orphan)) {
            gateway.delete().uri(URI.create("http://localhost:" + port + path)).headers(as(adaAccount)).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        WebTestClient direct = WebTestClient.bindToServer().baseUrl(users.baseUrl()).build();
        direct.delete().uri(cleanup).exchange().expectStatus().isUnauthorized();
        direct.delete().uri(cleanup).headers(as(adaAccount)).exchange().expectStatus().isForbidden();
        direct.delete().uri(cleanup).headers(headers -> headers.setBearerAuth(TestSecurity.serviceToken("gateway")))
                .exchange().expectStatus().isForbidden();
        direct.delete().uri(cleanup).headers(headers -> headers.setBearerAuth(TestSecurity.serviceToken("product-service")))
                .exchange().expectStatus().isOk();
    }

    @Test
    void theServicePortsCheckTokensAsTheGatewayDoes() {
        WebTestClient userService = WebTestClient.bindToServer().baseUrl(users.baseUrl()).build();
        WebTestClient productService = WebTestClient.bindToServer().baseUrl(products.baseUrl()).build();
        userService.get().uri("/users/" + ada).exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        userService.get().uri("/users/" + ada).headers(as(bobAccount)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("Ada").jsonPath("$.email").doesNotExist()
                .jsonPath("$.cart").doesNotExist();
        userService.get().uri("/users/" + ada).headers(as(adaAccount)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").exists();
        productService.patch().uri("/products/" + lamp).headers(as(bobAccount)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"price\": 0.01}").exchange().expectStatus().isForbidden();
        productService.post().uri("/products").headers(headers -> headers.setBearerAuth(TestSecurity.forgedUserToken(ada)))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(product("Fake", "1.00", ada)).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void onlyTheOwnerChangesAProductAndACreatorCannotNameAnotherOwner() {
        gateway.patch().uri("/api/products/" + desk).headers(as(adaAccount)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"price\": 1.00}").exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        gateway.post().uri("/api/products").headers(as(adaAccount)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(product("Stolen", "1.00", bob)).exchange()
                .expectStatus().isForbidden();
        gateway.get().uri("/api/users/" + bob + "/cart").headers(as(adaAccount)).exchange().expectStatus().isForbidden();
        assertThat(get("/api/products/" + desk).get("price").decimalValue()).isEqualByComparingTo("120.00");
    }

    @Test
    void theReadmesWalkThroughRunsAsWrittenAndCleansUpAfterItself() {
        ReadmeWalkthrough.Run run = ReadmeWalkthrough.runAgainst("http://localhost:" + port);

        assertThat(run.exitCode()).as("exit code; it printed:\n" + run.output()).isZero();
        String id = "[0-9a-f]{24}";
        assertThat(run.lines()).as(run.output()).anyMatch(line -> line.matches("Ada: " + id))
                .anyMatch(line -> line.matches("Lamp: " + id)).anyMatch(line -> line.matches("Bob: " + id));
        assertThat(run.output()).as("the lamp with its owner, then the cart with both")
                .contains("\"name\":\"Ada Lovelace\"}", "\"title\":\"Lamp\"", "\"quantity\":2");
        assertThat(run.lines()).as(run.output()).endsWith("401", "403", "204", "204", "204");
    }
}
