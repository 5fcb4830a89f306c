package com.example.shop.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.example.shop.e2e.Account.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters through a reference (issue 21), through the gateway in front of the real services: a page of products
 * through their owner ({@code userId.name=...}) and a page of users through their products ({@code products.price=...}),
 * each with exact totals over several pages, combined with the page's own filters and populate, in two backend calls
 * (the target's matching ids, then the page); the 422 past the bound (5 here) with no call to the page's service; the
 * 400 for a field a caller may not see. The services are shared with other classes: every name and title here starts
 * with this run's own prefix, so that the totals are exact whatever else the store holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Services.Shared.class)
class ReferenceFiltersIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** This run's prefix of every name ({@code <run>-Ada}) and title ({@code <run> Ada 50}). */
    private final String run = "Rf" + UUID.randomUUID().toString().substring(0, 8);

    private Shop shop;

    private WebTestClient gateway;

    /** Each user's products, by the user's name (without the prefix): their ids by price. */
    private final Map<String, Map<Integer, String>> products = new LinkedHashMap<>();

    private final Map<String, Account> users = new LinkedHashMap<>();

    @BeforeAll
    void seed(Services services) {
        shop = Shop.start(services, "--shop.gateway.sign-in-limit.capacity=1000", "--shop.api.reference-filters.max-ids=5");
        gateway = WebTestClient.bindToServer().baseUrl("http://localhost:" + shop.gateway().port())
                .responseTimeout(Duration.ofSeconds(20)).build();
        Map<String, int[]> prices = new LinkedHashMap<>();
        prices.put("Ada", new int[] {50, 100, 150, 200, 250, 300, 350});
        prices.put("Adam", new int[] {10, 20, 30, 40, 45});
        prices.put("Bob", new int[] {90, 110, 130, 150});
        prices.put("Cy", new int[] {500});
        prices.put("Dee", new int[] {});
        prices.put("Eve", new int[] {});
        prices.forEach((name, theirs) -> {
            Account user = Account.signUp(gateway, run + "-" + name);
            users.put(name, user);
            Map<Integer, String> ids = new LinkedHashMap<>();
            for (int price : theirs) {
                ids.put(price, create(user, run + " " + name + " " + price, price));
            }
            products.put(name, ids);
        });
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

    private JsonNode get(String uri, Account account, Object... variables) {
        return JSON.readTree(gateway.get().uri(uri, variables).headers(as(account)).exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist(ServiceProcess.UNRESOLVED_HEADER)
                .expectBody().returnResult().getResponseBody());
    }

    /** Every page of {@code uri} ({@code page=} appended), checking each page's totals: the ids of all, in order. */
    private List<String> allPages(String uri, Account account, int size, long total, Object... variables) {
        List<String> ids = new ArrayList<>();
        long pages = (total + size - 1) / size;
        for (int page = 0; page < pages; page++) {
            JsonNode answer = get(uri + "&size=" + size + "&page=" + page, account, variables);
            assertThat(answer.get("page").get("totalElements").asLong()).as("page %d's total", page).isEqualTo(total);
            assertThat(answer.get("page").get("totalPages").asLong()).isEqualTo(pages);
            JsonNode content = answer.get("content");
            assertThat(content.size()).as("page %d is full", page).isEqualTo((int) Math.min(size, total - (long) page * size));
            content.forEach(document -> ids.add(document.get("id").stringValue()));
        }
        return ids;
    }

    private List<String> productsOf(String... names) {
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            ids.addAll(products.get(name).values());
        }
        return ids;
    }

    @Test
    void productsThroughTheirOwnersNameAreExactOverSeveralPages() {
        // Ada's 7 and Adam's 5, by price: pages of 5, 5 and 2, 12 in all on each
        List<String> adas = allPages("/api/products?userId.name=prefix.{p}&sort=price", null, 5, 12, run + "-Ad");
        assertThat(adas).containsExactlyInAnyOrderElementsOf(productsOf("Ada", "Adam")).doesNotHaveDuplicates();

        List<String> bobs = allPages("/api/products?userId.name=eq.{p}&sort=price", users.get("Eve"), 3, 4, run + "-Bob");
        assertThat(bobs).containsExactlyElementsOf(productsOf("Bob"));
    }

    @Test
    void theOwnersFilterCombinesWithThePagesOwnAndWithPopulate() {
        List<String> over100 = allPages("/api/products?userId.name=prefix.{p}&price=gte.100&sort=price", null, 4, 6,
                run + "-Ad");
        assertThat(over100).containsExactly(products.get("Ada").get(100), products.get("Ada").get(150),
                products.get("Ada").get(200), products.get("Ada").get(250), products.get("Ada").get(300),
                products.get("Ada").get(350));

        JsonNode populated = get("/api/products?userId.name=eq.{p}&populate=userId", null, run + "-Cy");
        assertThat(populated.get("page").get("totalElements").asInt()).isEqualTo(1);
        JsonNode owner = populated.get("content").get(0).get("userId");
        assertThat(owner.get("name").stringValue()).isEqualTo(run + "-Cy");
        // an anonymous caller sees the owner's public view: no email
        assertThat(owner.has("email")).isFalse();
    }

    @Test
    void usersThroughTheirProductsAreExactOverSeveralPages() {
        // Ada, Bob and Cy have a product of 100 or more; Adam, Dee and Eve none
        Account reader = users.get("Dee");
        // the products' title keeps the owners matched to this run's (other classes' products cost 100 and more too)
        List<String> rich = allPages("/api/users?products.price=gte.100&products.title=prefix.{p}&name=prefix.{p}"
                + "&sort=name", reader, 2, 3, run, run);
        assertThat(rich).containsExactly(users.get("Ada").id(), users.get("Bob").id(), users.get("Cy").id());

        List<String> cheap = allPages("/api/users?products.price=lt.100&products.title=prefix.{p}&sort=name", reader, 2, 3,
                run);
        assertThat(cheap).containsExactly(users.get("Ada").id(), users.get("Adam").id(), users.get("Bob").id());

        JsonNode titled = get("/api/users?products.title=eq.{t}&populate=products(title)", reader, run + " Cy 500");
        assertThat(titled.get("page").get("totalElements").asInt()).isEqualTo(1);
        assertThat(titled.get("content").get(0).get("id").stringValue()).isEqualTo(users.get("Cy").id());
        assertThat(titled.get("content").get(0).get("products").get(0).get("title").stringValue()).isEqualTo(run + " Cy 500");
    }

    @Test
    void aFilterThroughAReferenceIsTwoBackendCallsOneEach() {
        long matches = shop.users().servedGetsDuring("/internal/users/ids",
                () -> assertThat(get("/api/products?userId.name=eq.{p}", null, run + "-Bob").get("page")
                        .get("totalElements").asInt()).isEqualTo(4), 1);
        assertThat(matches).isEqualTo(1);
        long pages = shop.products().servedGetsDuring("/products",
                () -> get("/api/products?userId.name=eq.{p}", null, run + "-Bob"), 1);
        assertThat(pages).isEqualTo(1);
    }

    @Test
    void pastTheBoundIsA422AndTheProductsServiceIsNotAsked() {
        // six users start with the prefix; this gateway carries at most 5 ids
        long pagesBefore = shop.products().servedGets("/products");
        gateway.get().uri("/api/products?userId.name=prefix.{p}", run).exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("userId.name")
                .jsonPath("$.maxIds").isEqualTo(5);
        assertThat(shop.products().servedGets("/products")).isEqualTo(pagesBefore);
    }

    @Test
    void noMatchIsAnEmptyPageAndTheProductsServiceIsNotAsked() {
        long pagesBefore = shop.products().servedGets("/products");
        JsonNode empty = get("/api/products?userId.name=eq.{p}&size=7", null, run + "-Nobody");
        assertThat(empty.get("content").size()).isZero();
        assertThat(empty.get("page").get("totalElements").asInt()).isZero();
        assertThat(empty.get("page").get("size").asInt()).isEqualTo(7);
        assertThat(shop.products().servedGets("/products")).isEqualTo(pagesBefore);
    }

    @Test
    void aFieldTheCallerMayNotSeeIsA400NamingIt() {
        for (String[] wrong : List.of(new String[] {"/api/products?userId.email=eq.{v}", "userId.email"},
                new String[] {"/api/users?products.description=eq.{v}", "products.description"})) {
            gateway.get().uri(wrong[0], "x@example.com").headers(as(users.get("Ada"))).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(wrong[1]);
        }
    }

    /**
     * The gateway checks a filter through a reference against the fields {@code api.yml} declares filterable; the
     * services read them with their own declaration. The gateway's document holds both: each reference parameter
     * ({@code userId.name}) must be a filter of the target's page ({@code name} on {@code /api/users}) of the same type.
     */
    @Test
    void theGatewaysDeclaredFiltersAreTheServicesOwn() {
        JsonNode paths = JSON.readTree(gateway.get().uri("/api/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody()).get("paths");
        Map<String, String> pages = Map.of("user", "/api/users", "product", "/api/products");
        int checked = 0;
        for (String page : pages.values()) {
            for (JsonNode parameter : paths.get(page).get("get").get("parameters")) {
                JsonNode reference = parameter.get("x-reference-filter");
                if (reference == null) {
                    continue;
                }
                String target = reference.get("target").stringValue();
                String field = reference.get("field").stringValue();
                JsonNode own = paths.get(pages.get(target)).get("get").get("parameters").valueStream()
                        .filter(candidate -> candidate.get("name").stringValue().equals(field)).findFirst().orElse(null);
                assertThat(own).as("%s: %s filters %s's page", parameter.get("name"), field, target).isNotNull();
                assertThat(own.get("x-filter").get("type")).isEqualTo(reference.get("type"));
                assertThat(own.get("x-filter").get("operators")).isEqualTo(reference.get("operators"));
                checked++;
            }
        }
        // userId.name, userId.id; products.title, products.price, products.userId
        assertThat(checked).isEqualTo(5);
    }
}
