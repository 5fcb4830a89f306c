package com.example.shop.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.shop.e2e.Account.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 through the gateway in front of the real services: a user's {@code products} (the reverse of a
 * product's {@code userId}), options per path, conditional GETs, and the gateway's entity cache. This class's
 * gateway keeps cached lookups for a minute, so that what the cache serves is seen (by the calls the services
 * count) and what a write makes stale is shown not to be served, whatever the timing of the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Services.Shared.class)
class PopulateListsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int PAGE_USERS = 20;

    private Shop shop;

    private WebTestClient gateway;

    private Account ada;

    private Account bob;

    private Account nobody;

    /** Ada's 7 products by id, with their prices. */
    private final Map<String, Integer> adasPrices = new TreeMap<>();

    private String bobsProduct;

    /** 20 users named so that they come first in a page sorted by name, each owning 3 products. */
    private final List<Account> listers = new ArrayList<>();

    @BeforeAll
    void seed(Services services) {
        shop = Shop.start(services, "--shop.gateway.sign-in-limit.capacity=1000", "--shop.populate.cache.ttl=1m");
        gateway = WebTestClient.bindToServer().baseUrl("http://localhost:" + shop.gateway().port())
                .responseTimeout(Duration.ofSeconds(20)).build();
        ada = Account.signUp(gateway, "Ada");
        bob = Account.signUp(gateway, "Bob");
        nobody = Account.signUp(gateway, "Nobody");
        for (int price : new int[] {30, 10, 70, 20, 60, 40, 50}) {
            adasPrices.put(create(ada, "Ada's " + price, price), price);
        }
        bobsProduct = create(bob, "Bob's lamp", 15);
        for (int i = 0; i < PAGE_USERS; i++) {
            Account lister = Account.signUp(gateway, String.format("0000-lister-%02d", i));
            listers.add(lister);
            for (int k = 1; k <= 3; k++) {
                create(lister, "lister " + i + " item " + k, 100 * i + k);
            }
        }
    }

    @AfterAll
    void stop() {
        if (shop != null) {
            shop.stop();
        }
    }

    private String create(Account owner, String title, int price) {
        return owner.createProduct(gateway, title, price);
    }

    private JsonNode get(String uri, Account account) {
        return JSON.readTree(gateway.get().uri(uri).headers(as(account)).exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(ServiceProcess.UNRESOLVED_HEADER)
                .expectBody().returnResult().getResponseBody());
    }

    private long ownedLookups() {
        return shop.products().servedGets("/products/owned");
    }

    private long userLookups() {
        return shop.users().servedGets("/users");
    }

    @Test
    void aUserWithNoneOneOrSevenProductsGetsExactlyThemInIdOrder() {
        assertThat(get("/api/users/" + nobody.id() + "?populate=products", nobody).get("products").size()).isZero();
        JsonNode bobs = get("/api/users/" + bob.id() + "?populate=products", bob).get("products");
        assertThat(bobs.size()).isEqualTo(1);
        assertThat(bobs.get(0).get("id").stringValue()).isEqualTo(bobsProduct);
        JsonNode adas = get("/api/users/" + ada.id() + "?populate=products", bob).get("products");
        assertThat(adas.valueStream().map(p -> p.get("id").stringValue()).toList())
                .isEqualTo(List.copyOf(adasPrices.keySet()));
        assertThat(adas.valueStream()).allSatisfy(p -> assertThat(p.get("userId").stringValue()).isEqualTo(ada.id()));
    }

    @Test
    void aPageOfTwentyUsersGetsEachUsersOwnTopTwoInExactlyOneCallToProductService() {
        JsonNode[] page = new JsonNode[1];
        long calls = shop.products().servedGetsDuring("/products/owned", () -> page[0] = get("/api/users?page=0&size="
                + PAGE_USERS + "&sort=name&populate=products(title,price)[sort=-price;limit=2]", ada), 1);

        assertThat(calls).isEqualTo(1);
        JsonNode content = page[0].get("content");
        assertThat(content.size()).isEqualTo(PAGE_USERS);
        for (int i = 0; i < PAGE_USERS; i++) {
            JsonNode user = content.get(i);
            assertThat(user.get("id").stringValue()).isEqualTo(listers.get(i).id());
            JsonNode products = user.get("products");
            assertThat(products.valueStream().map(p -> p.get("price").asInt()).toList())
                    .as("user %d's own top 2", i).containsExactly(100 * i + 3, 100 * i + 2);
            assertThat(products.get(0).propertyNames()).containsExactlyInAnyOrder("id", "title", "price");
        }
    }

    @Test
    void countIsTheNumberOfTheUsersProducts() {
        JsonNode users = get("/api/users?ids=" + ada.id() + "," + bob.id() + "," + nobody.id() + "&populate=products[count]", ada);

        Map<String, Integer> counts = new TreeMap<>();
        users.forEach(user -> counts.put(user.get("id").stringValue(), user.get("products").asInt()));
        assertThat(counts).isEqualTo(Map.of(ada.id(), 7, bob.id(), 1, nobody.id(), 0));
    }

    @Test
    void sortAscendingAndDescendingWithALimit() {
        List<Integer> prices = adasPrices.values().stream().sorted().toList();
        assertThat(prices("products[sort=price]")).isEqualTo(prices);
        assertThat(prices("products[sort=-price;limit=3]")).isEqualTo(
                adasPrices.values().stream().sorted(Comparator.reverseOrder()).limit(3).toList());
        assertThat(prices("products(price)[sort=+price;limit=1]")).containsExactly(10);
    }

    private List<Integer> prices(String populate) {
        return get("/api/users/" + ada.id() + "?populate=" + populate, ada).get("products").valueStream()
                .map(p -> p.get("price").asInt()).toList();
    }

    @Test
    void aListsDocumentsArePopulatedInTurnAndAListCanBeReachedThroughAReference() {
        JsonNode user = get("/api/users/" + bob.id() + "?populate=products[limit=1],products.userId(name)", ada);
        assertThat(user.get("products").get(0).get("userId").get("name").stringValue()).isEqualTo("Bob");

        JsonNode product = get("/api/products/" + bobsProduct + "?populate=userId.products[count]", null);
        assertThat(product.get("userId").get("products").asInt()).isEqualTo(1);
        JsonNode owners = get("/api/products/" + bobsProduct + "?populate=userId(name),userId.products(title)", null);
        assertThat(owners.get("userId").get("products").get(0).get("title").stringValue()).isEqualTo("Bob's lamp");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "/api/products/{p}?populate=userId[limit=2]       | limit",
            "/api/users/{u}?populate=products[top=2]          | top",
            "/api/users/{u}?populate=products[limit=101]      | limit",
            "/api/users/{u}?populate=products[sort=email]     | sort",
            "/api/users/{u}?populate=products[count;sort=price] | sort",
            "/api/users/{u}?populate=products[count],products.userId | count",
            "/api/users/{u}?populate=products[price=gte.abc]  | price",
            "/api/users/{u}?populate=products[title=gt.a]     | title",
            "/api/users/{u}?populate=products[email=eq.a]     | email",
            "/api/users/{u}?populate=products[price=gte.1;count;skip=1] | skip",
            "/api/users/{u}?populate=products[skip=1001]      | skip"})
    void anOptionThatMakesNoSenseIsA400NamingIt(String uri, String option) {
        long before = ownedLookups();
        gateway.get().uri(uri.replace("{p}", bobsProduct).replace("{u}", bob.id())).headers(as(bob)).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.option").isEqualTo(option)
                .jsonPath("$.errors[0].field").isEqualTo("populate");
        assertThat(ownedLookups()).isEqualTo(before);
    }

    @Test
    void anUnchangedAnswerIs304AndAChangeOfItsPopulatedOwnerGivesANewEtag() {
        String uri = "/api/products/" + bobsProduct + "?populate=userId";
        EntityExchangeResult<byte[]> first = gateway.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody().returnResult();
        String etag = first.getResponseHeaders().getETag();
        assertThat(etag).isNotBlank();

        gateway.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectBody().isEmpty();

        rename(bob, "Robert");
        EntityExchangeResult<byte[]> changed = gateway.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isOk().expectBody().returnResult();
        assertThat(changed.getResponseHeaders().getETag()).isNotBlank().isNotEqualTo(etag);
        assertThat(JSON.readTree(changed.getResponseBody()).get("userId").get("name").stringValue()).isEqualTo("Robert");
        rename(bob, "Bob");
    }

    private void rename(Account account, String name) {
        gateway.patch().uri("/api/users/" + account.id()).headers(as(account)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"" + name + "\"}").exchange().expectStatus().isOk();
    }

    @Test
    void aCachedOwnerIsServedWithoutALookupUntilAWriteThroughTheGatewayChangesIt() {
        Account carol = Account.signUp(gateway, "Carol");
        String product = create(carol, "Carol's chair", 45);
        String uri = "/api/products/" + product + "?populate=userId";
        get(uri, null);

        assertThat(userLookupsMadeBy(() -> get(uri, null), carol)).as("served from the cache").isZero();

        rename(carol, "Caroline");
        JsonNode[] after = new JsonNode[1];
        assertThat(userLookupsMadeBy(() -> after[0] = get(uri, null), carol)).as("looked up again").isEqualTo(1);
        assertThat(after[0].get("userId").get("name").stringValue()).isEqualTo("Caroline");
    }

    /**
     * Issue 18: a write naming an id in upper case was taken by the services, while the gateway's cache, keyed by
     * the id's text, made nothing stale, and served the old document for the cache's TTL (a minute here). Ids now
     * have one spelling: such a write is refused (403 on the user's own path, whose id is not the caller's as
     * written; 400 naming the id elsewhere), and what is populated stays what the services hold.
     */
    @Test
    void anIdInUpperCaseCannotWriteAroundTheCache() {
        Account erin = Account.signUp(gateway, "Erin");
        Account finn = Account.signUp(gateway, "Finn");
        String stool = create(erin, "Erin's stool", 25);
        gateway.post().uri("/api/users/" + finn.id() + "/cart/items").headers(as(finn)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"productId\":\"" + stool + "\",\"quantity\":1}").exchange().expectStatus().isOk();
        String product = "/api/products/" + stool + "?populate=userId";
        String cart = "/api/users/" + finn.id() + "/cart?populate=items.productId";
        get(product, null);
        get(cart, finn);

        HttpStatusCode renamed = gateway.patch().uri("/api/users/" + erin.id().toUpperCase()).headers(as(erin))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"Erin Renamed\"}").exchange()
                .returnResult(byte[].class).getStatus();
        HttpStatusCode retitled = gateway.patch().uri("/api/products/" + stool.toUpperCase()).headers(as(erin))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Erin's chair\"}").exchange()
                .returnResult(byte[].class).getStatus();

        assertThat(get(product, null).get("userId").get("name").stringValue()).as("the populated owner")
                .isEqualTo(get("/api/users/" + erin.id(), erin).get("name").stringValue()).isEqualTo("Erin");
        JsonNode line = get(cart, finn).get("items").get(0).get("productId");
        assertThat(line.get("title").stringValue()).as("the populated cart line")
                .isEqualTo(get("/api/products/" + stool, null).get("title").stringValue()).isEqualTo("Erin's stool");
        assertThat(renamed.value()).isEqualTo(403);
        assertThat(retitled.value()).isEqualTo(400);
    }

    /**
     * The GETs of {@code /users} that {@code request} made user-service serve. A GET of {@code /users} routed
     * after it is the mark: once user-service has counted that one, it has counted the request's lookups.
     */
    private long userLookupsMadeBy(Runnable request, Account caller) {
        long before = userLookups();
        request.run();
        gateway.get().uri("/api/users?ids=" + caller.id()).headers(as(caller)).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(5)).until(() -> userLookups() >= before + 1);
        return userLookups() - before - 1;
    }

    @Test
    void oneCallersPrivateViewIsNeverServedToAnotherFromTheCache() {
        Account dora = Account.signUp(gateway, "Dora");
        String product = create(dora, "Dora's desk", 120);
        String uri = "/api/products/" + product + "?populate=userId";

        JsonNode own = get(uri, dora).get("userId");
        assertThat(own.has("email")).as("Dora sees herself whole").isTrue();
        assertThat(own.has("cart")).isTrue();
        for (Account other : new Account[] {bob, null}) {
            JsonNode seen = get(uri, other).get("userId");
            assertThat(seen.propertyNames()).as("what %s sees of Dora", other == null ? "an anonymous caller" : "Bob")
                    .containsExactlyInAnyOrder("id", "name");
        }
        assertThat(get(uri, dora).get("userId").has("email")).isTrue();
    }

    /**
     * Issue 21's filters on a list's own fields, through the gateway: several at once (AND, a range on one field),
     * paged with exact totals, combined with populate; a field that is not everyone's (email) is a 400 naming it.
     */
    @Test
    void filtersCombineWithPopulateAndPageWithExactTotalsThroughTheGateway() {
        String query = "/api/products?userId=in." + ada.id() + "," + bob.id()
                + "&price=gte.15&price=lt.60&populate=userId(name)&sort=price&size=2&page=";
        List<Integer> prices = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonNode answer = get(query + page, null);
            assertThat(answer.get("page").get("totalElements").asLong()).isEqualTo(5);
            assertThat(answer.get("page").get("totalPages").asLong()).isEqualTo(3);
            answer.get("content").valueStream().forEach(product -> {
                prices.add(product.get("price").asInt());
                String owner = product.get("userId").get("id").stringValue();
                assertThat(owner).isIn(ada.id(), bob.id());
                assertThat(product.get("userId").has("name")).isTrue();
            });
        }
        assertThat(prices).containsExactly(15, 20, 30, 40, 50);
        JsonNode adas = get("/api/products?title=prefix.Ada's&userId=eq." + ada.id() + "&price=in.10,70,999", null);
        assertThat(adas.get("content").valueStream().map(p -> p.get("price").asInt()).toList()).containsExactly(10, 70);

        gateway.get().uri("/api/users?email=eq.someone@example.com&populate=products[count]").headers(as(ada)).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("email");
        JsonNode users = get("/api/users?id=in." + ada.id() + "," + bob.id() + "," + nobody.id()
                + "&populate=products[count]&sort=name", ada);
        assertThat(users.get("page").get("totalElements").asLong()).isEqualTo(3);
        assertThat(users.get("content").valueStream().map(user -> user.get("products").asLong()).sorted().toList())
                .containsExactly(0L, 1L, 7L);
    }

    /**
     * Issue 21's filters inside a list, with an offset, through the gateway in front of the real services: each
     * user's own matching products, skipped then limited per user, in one call for a page of twenty; the count of
     * the matching ones; a value holding the spec's own separators, quoted.
     */
    @Test
    void filtersInsideAListWithAnOffsetAndCountAreExactPerUser() {
        // Ada's prices 10..70: at least 20 and under 70, descending, are 60, 50, 40, 30, 20; skip 1, limit 2
        assertThat(prices("products[price=gte.20;price=lt.70;sort=-price;skip=1;limit=2]")).containsExactly(50, 40);
        assertThat(prices("products[price=gte.20;sort=price;skip=5]")).containsExactly(70);
        assertThat(prices("products[price=gte.20;sort=price;skip=6]")).isEmpty();
        assertThat(prices("products[price=in.10,70,999;sort=-price]")).containsExactly(70, 10);

        // lister i owns 100i+1, 100i+2, 100i+3: from 1002 up, skip the lowest, keep one
        JsonNode[] page = new JsonNode[1];
        long calls = shop.products().servedGetsDuring("/products/owned", () -> page[0] = get("/api/users?page=0&size="
                + PAGE_USERS + "&sort=name&populate=products(price)[price=gte.1002;sort=price;skip=1;limit=1]", ada), 1);
        assertThat(calls).isEqualTo(1);
        JsonNode content = page[0].get("content");
        for (int i = 0; i < PAGE_USERS; i++) {
            List<Integer> prices = content.get(i).get("products").valueStream().map(p -> p.get("price").asInt()).toList();
            if (i < 10) {
                assertThat(prices).as("user %d has nothing from 1002", i).isEmpty();
            }
            else if (i == 10) {
                assertThat(prices).as("user 10's 1002 and 1003, the first skipped").containsExactly(1003);
            }
            else {
                assertThat(prices).as("user %d's three, the first skipped", i).containsExactly(100 * i + 2);
            }
        }

        JsonNode counted = get("/api/users?ids=" + ada.id() + "," + bob.id() + "," + nobody.id()
                + "&populate=products[price=gte.15;price=lte.40;count]", ada);
        Map<String, Integer> counts = new TreeMap<>();
        counted.forEach(user -> counts.put(user.get("id").stringValue(), user.get("products").asInt()));
        assertThat(counts).isEqualTo(Map.of(ada.id(), 3, bob.id(), 1, nobody.id(), 0));
    }

    @Test
    void aFilterValueHoldingTheSpecsSeparatorsIsWrittenInQuotes() {
        Account quinn = Account.signUp(gateway, "Quinn");
        String odd = create(quinn, "Lamp; big [x], (new) & 50% off", 5);
        create(quinn, "Lamp", 6);

        JsonNode user = JSON.readTree(gateway.get().uri("/api/users/{id}?populate={populate}", quinn.id(),
                        "products(title)[title=eq.\"Lamp; big [x], (new) & 50% off\"]")
                .headers(as(quinn)).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(user.get("products").valueStream().map(p -> p.get("id").stringValue()).toList()).containsExactly(odd);
        JsonNode counted = JSON.readTree(gateway.get().uri("/api/users/{id}?populate={populate}", quinn.id(),
                        "products[title=prefix.\"Lamp;\";count]")
                .headers(as(quinn)).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(counted.get("products").asInt()).isEqualTo(1);
        gateway.get().uri("/api/users/{id}?populate={populate}", quinn.id(), "products[title=eq.Lamp; big]")
                .headers(as(quinn)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("populate");
    }

    /**
     * The gateway's API document lists each filter of a page, its operators and bounds, exactly as the service that
     * reads them publishes it (one declaration, the service's): the same {@code x-filter} parameters, field for field.
     */
    @Test
    void theGatewaysDocumentListsEachServicesFiltersAsTheServiceDoes() {
        JsonNode published = apiDocument(gateway, "/api/v3/api-docs");
        Map<String, JsonNode> products = filters(published.get("paths").get("/api/products"));
        Map<String, JsonNode> users = filters(published.get("paths").get("/api/users"));
        assertThat(products.keySet()).containsExactly("title", "price", "userId");
        assertThat(users.keySet()).containsExactly("name", "id");
        assertThat(products.get("price").get("operators").valueStream().map(JsonNode::stringValue).toList())
                .containsExactly("eq", "in", "gt", "gte", "lt", "lte");
        assertThat(products.get("title").get("maxLength").asInt()).isEqualTo(200);
        assertThat(users.get("name").get("maxLength").asInt()).isEqualTo(100);
        assertThat(products).isEqualTo(filters(apiDocument(WebTestClient.bindToServer()
                .baseUrl(shop.products().baseUrl()).build(), "/v3/api-docs").get("paths").get("/products")));
        assertThat(users).isEqualTo(filters(apiDocument(WebTestClient.bindToServer()
                .baseUrl(shop.users().baseUrl()).build(), "/v3/api-docs").get("paths").get("/users")));
        // the filters inside populate=products (declared in the gateway's api.yml) are product-service's own
        JsonNode populate = published.get("paths").get("/api/users").get("get").get("parameters").valueStream()
                .filter(parameter -> parameter.get("name").stringValue().equals("populate")).findFirst().orElseThrow();
        JsonNode listed = populate.get("x-populate").get("paths").valueStream()
                .filter(path -> path.get("path").stringValue().equals("products")).findFirst().orElseThrow();
        Map<String, JsonNode> inside = new java.util.LinkedHashMap<>();
        listed.get("options").get("filters").properties().forEach(field -> inside.put(field.getKey(), field.getValue()));
        assertThat(inside).isEqualTo(products);
    }

    private static JsonNode apiDocument(WebTestClient client, String path) {
        return JSON.readTree(client.get().uri(path).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    /** The {@code x-filter} of each filter parameter of a path's GET, by parameter name, in the order listed. */
    private static Map<String, JsonNode> filters(JsonNode pathItem) {
        Map<String, JsonNode> filters = new java.util.LinkedHashMap<>();
        pathItem.get("get").get("parameters").valueStream().filter(parameter -> parameter.has("x-filter"))
                .forEach(parameter -> filters.put(parameter.get("name").stringValue(), parameter.get("x-filter")));
        return filters;
    }
}
