package com.example.shop.product;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.testing.MalformedQueries;
import com.example.shop.testing.RawHttp;
import com.example.shop.product.product.domain.Product;
import com.example.shop.product.product.web.OwnedProductsController;
import com.example.shop.product.product.web.ProductResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product-service API over real HTTP, with WireMock standing in for user-service. Subclasses say
 * which store it runs on; the behaviour asserted here is the same on each. Reads go without a token;
 * writes carry the access token of {@link #owner}, unless a test says otherwise. Every call that
 * product-service makes to user-service must carry its service token (checked after each test).
 * Who may call what, for every kind of caller, is {@link ProductAccessMatrixTest}'s subject.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class ProductApiContract {

    static final UserServiceStub userService = new UserServiceStub();

    static final JsonMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void userServiceUrl(DynamicPropertyRegistry registry) {
        registry.add("shop.remote.user-service", userService::url);
    }

    @LocalServerPort
    int port;

    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    final String owner = new ObjectId().toHexString();

    /** The access token of {@link #owner}, sent on every write unless a test says otherwise. */
    final String ownerToken = TestSecurity.userToken(owner);

    /** Another user, known to user-service, who owns none of the test's products. */
    final String other = new ObjectId().toHexString();

    @BeforeEach
    void cleanSlate() {
        web = TestClients.oneConnectionPerRequest(port);
        mongo.remove(new Query(), "products").block();
        userService.reset();
        circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        userService.userExists(owner);
        userService.userExists(other);
        userService.cartCleanupWorks();
    }

    @AfterEach
    void everyCallToUserServiceCarriedAServiceToken() {
        userService.assertEveryCallCarriedAServiceToken();
    }

    // ---- create and read ----

    @Test
    void createAnswers201WithLocationAndTheProductAsStored() {
        ProductResponse created = post(validProduct())
                .expectStatus().isCreated()
                .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).matches("/products/[0-9a-f]{24}"))
                .expectBody(ProductResponse.class).returnResult().getResponseBody();

        assertThat(created.id()).matches("[0-9a-f]{24}");
        assertThat(created).isEqualTo(new ProductResponse(created.id(), "Lamp", "https://img.example.com/lamp.png",
                new BigDecimal("19.99"), "A desk lamp", owner));
        web.get().uri("/products/{id}", created.id()).exchange()
                .expectStatus().isOk()
                .expectBody(ProductResponse.class).isEqualTo(created);

        Document stored = rawProduct(created.id());
        assertThat(stored.get("_id")).isEqualTo(new ObjectId(created.id()));
        assertThat(stored.get("userId")).isEqualTo(new ObjectId(owner));
        assertThat(stored.get("price")).isEqualTo(new Decimal128(new BigDecimal("19.99")));
    }

    @ParameterizedTest
    @MethodSource("exactPrices")
    void pricesRoundTripExactlyAsJsonNumbers(String price) {
        String id = createWith(Map.of("price", new BigDecimal(price)));

        web.get().uri("/products/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text).contains("\"price\":" + price + ","));
        assertThat(rawProduct(id).get("price")).isEqualTo(new Decimal128(new BigDecimal(price)));
    }

    static Stream<String> exactPrices() {
        return Stream.of("19.99", "1000000.00", "0", "0.10", "1000000", "123456.78");
    }

    @Test
    void userIdMayBeGivenAsAUserObjectCarryingItsId() {
        Map<String, Object> user = Map.of("id", owner, "name", "Ada", "email", "ada@example.com");
        post(validProduct("userId", user))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.userId").isEqualTo(owner);
    }

    @Test
    void whenUserIdIsOmittedThenTheCallerBecomesTheOwner() {
        Map<String, Object> fields = validProduct();
        fields.remove("userId");
        ProductResponse created = post(fields).expectStatus().isCreated()
                .expectBody(ProductResponse.class).returnResult().getResponseBody();

        assertThat(created.userId()).isEqualTo(owner);
        assertThat(rawProduct(created.id()).get("userId")).isEqualTo(new ObjectId(owner));
        assertThat(userService.ownerChecks(owner)).as("the caller is still checked in user-service").hasSize(1);
    }

    @Test
    void whenUserIdNamesSomeoneElseThenCreateIs403NamingUserIdAndNothingIsStored() {
        expectProblem(post(validProduct("userId", other)), HttpStatus.FORBIDDEN, "userId");
        expectProblem(post(validProduct("userId", Map.of("id", other, "name", "Bob"))), HttpStatus.FORBIDDEN, "userId");
        expectProblem(post(validProduct("userId", new ObjectId().toHexString())), HttpStatus.FORBIDDEN, "userId");
        assertNothingStored();
        assertThat(userService.userLookups()).as("refused before user-service is asked").isZero();
    }

    @Test
    void theOwnerCheckAndTheCartCleanupCarryProductServicesServiceTokenNotTheUsers() {
        String id = createWith(Map.of());
        delete(id).expectStatus().isNoContent();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(userService.cartCleanups(id)).isNotEmpty());

        assertThat(userService.ownerChecks(owner)).as("the create's and the delete's").hasSize(2).allSatisfy(check -> {
            assertThat(check.getHeader(HttpHeaders.AUTHORIZATION)).isNotEqualTo("Bearer " + ownerToken);
            UserServiceStub.serviceTokenOf(check);
        });
        assertThat(userService.cartCleanups(id)).allSatisfy(UserServiceStub::serviceTokenOf);
    }

    @Test
    void theCallersTraceReachesUserServiceOnTheOwnerCheck() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        web.post().uri("/products").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.setBearerAuth(ownerToken))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .bodyValue(withOwner(body(validProduct())))
                .exchange()
                .expectStatus().isCreated();
        assertThat(userService.ownerChecks(owner)).singleElement()
                .satisfies(check -> assertThat(check.getHeader("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-01"));
    }

    @Test
    void whenTheCallerNoLongerExistsInUserServiceThenCreateIs422AndNothingIsStored() {
        // A valid access token can outlive its user: user-service answers 404 for this one.
        String deleted = new ObjectId().toHexString();
        Map<String, Object> withoutUserId = validProduct();
        withoutUserId.remove("userId");
        expectProblem(postAs(deleted, withoutUserId), HttpStatus.UNPROCESSABLE_CONTENT, "userId");
        expectProblem(postAs(deleted, validProduct("userId", deleted)), HttpStatus.UNPROCESSABLE_CONTENT, "userId");
        assertNothingStored();
    }

    @Test
    void whenUserServiceIsDownThenCreateIs503AndNothingIsStored() {
        userService.down();
        post(validProduct()).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("user-service"));
        assertNothingStored();
    }

    @Test
    void whenUserServiceFailsThenCreateIs503AndNothingIsStored() {
        userService.failing();
        post(validProduct()).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("user-service"));
        assertNothingStored();
    }

    @Test
    void whenUserServiceIsSlowerThanTheTimeLimitThenCreateIs503AndNothingIsStored() {
        userService.slow(5_000);
        post(validProduct()).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.detail").value(String.class,
                        detail -> assertThat(detail).contains("user-service").contains("did not answer in time"));
        assertNothingStored();
    }

    @Test
    void whenTheCircuitToUserServiceIsOpenThenCreateIs503WithoutCallingIt() {
        circuitBreakers.circuitBreaker("user-service").transitionToOpenState();
        post(validProduct()).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.detail").value(String.class,
                        detail -> assertThat(detail).contains("user-service").contains("circuit breaker"));
        assertNothingStored();
        assertThat(userService.userLookups()).isZero();
    }

    @Test
    void unknownProductIs404AndABadIdIs400() {
        expectProblem(web.get().uri("/products/{id}", new ObjectId().toHexString()).exchange(), HttpStatus.NOT_FOUND, null);
        expectProblem(web.get().uri("/products/not-an-id").exchange(), HttpStatus.BAD_REQUEST, "id");
    }

    // ---- validation ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidBodyIsRejectedWith400NamingTheFieldAndNothingIsStored(String why, String body, String field) {
        expectProblem(web.post().uri("/products").contentType(MediaType.APPLICATION_JSON)
                        .headers(headers -> headers.setBearerAuth(ownerToken))
                        .bodyValue(withOwner(body))
                        .exchange(),
                HttpStatus.BAD_REQUEST, field);
        assertNothingStored();
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                invalid("price with 3 decimals", "price", new BigDecimal("19.999")),
                invalid("negative price", "price", new BigDecimal("-0.01")),
                invalid("price above 1,000,000", "price", new BigDecimal("1000000.01")),
                invalid("price as a string", "price", "19.99"),
                invalid("price missing", "price", null),
                invalid("not a URL", "imageUrl", "not a url"),
                invalid("relative URL", "imageUrl", "/img/lamp.png"),
                invalid("ftp URL", "imageUrl", "ftp://img.example.com/lamp.png"),
                invalid("URL over 2048 chars", "imageUrl", "https://img.example.com/" + "a".repeat(2030)),
                invalid("title too long", "title", "t".repeat(201)),
                invalid("title blank after trimming", "title", "   "),
                invalid("title a number", "title", 42),
                invalid("description too long", "description", "d".repeat(5001)),
                invalid("description missing", "description", null),
                invalid("userId not an id", "userId", "abc"),
                invalid("userId object without id", "userId", Map.of("name", "Ada")),
                Arguments.of("unknown field", body(validProduct("color", "red")), "color"),
                Arguments.of("$-prefixed field", body(validProduct("$where", "1 == 1")), "$where"),
                Arguments.of("malformed JSON", "{\"title\": \"Lamp\",", "body"),
                Arguments.of("duplicate key", "{\"title\":\"a\",\"title\":\"b\"}", "title"),
                // canonical text: no control or format characters, no lone surrogates
                invalid("NUL in title", "title", "La\u0000mp"),
                invalid("zero-width space in title", "title", "La\u200Bmp"),
                invalid("bidi override in title", "title", "Lamp \u202Eevil"),
                invalid("newline in title", "title", "La\nmp"),
                Arguments.of("lone surrogate in title",
                        body(validProduct("title", "LONE")).replace("LONE", "Lamp\\uD800"), "title"),
                invalid("BEL in description", "description", "A desk\u0007 lamp"),
                invalid("BOM in description", "description", "\uFEFFA desk lamp"),
                Arguments.of("lone surrogate in description",
                        body(validProduct("description", "LONE")).replace("LONE", "A \\uDFFF lamp"), "description"),
                // something visible; no noncharacters
                invalid("Hangul filler title", "title", "\u3164"),
                invalid("braille blank title", "title", "\u2800\u2800\u2800"),
                invalid("no-break and ideographic space title", "title", "\u00A0\u3000\u00A0"),
                invalid("blank-looking description on several lines", "description", "\u3164\n\u2800\n\uFFA0"),
                invalid("lone combining marks as description", "description", "\u0301\u0301"),
                invalid("noncharacter U+FFFF in title", "title", "Lamp\uFFFF"),
                invalid("noncharacter U+FDD0 in description", "description", "A desk\uFDD0 lamp"),
                invalid("noncharacter U+10FFFF in description", "description", "A desk lamp\uDBFF\uDFFF"),
                // one spelling of an id
                invalid("userId in upper case", "userId", "65F0A1B2C3D4E5F60718293A"),
                invalid("user object with its id in upper case", "userId", Map.of("id", "65F0A1B2C3D4E5F60718293A")));
    }

    @Test
    void aDescriptionMayHoldLineBreaksAndTabsAndEmoji() {
        String id = createWith(Map.of("description", "Line one\n\tLine two \uD83D\uDCA1"));
        web.get().uri("/products/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.description").isEqualTo("Line one\n\tLine two \uD83D\uDCA1");
    }

    @Test
    void aPatchIsHeldToTheSameTextRules() {
        String id = createWith(Map.of());
        expectProblem(patch(id, Map.of("title", "La\u0000mp")), HttpStatus.BAD_REQUEST, "title");
        expectProblem(patch(id, Map.of("description", "x\u2066y")), HttpStatus.BAD_REQUEST, "description");
        expectProblem(patch(id, Map.of("title", "\u3164\u3164")), HttpStatus.BAD_REQUEST, "title");
        expectProblem(patch(id, Map.of("title", "\uFFFF")), HttpStatus.BAD_REQUEST, "title");
        expectProblem(patch(id, Map.of("description", "\u2800")), HttpStatus.BAD_REQUEST, "description");
        assertUnchanged(id);
    }

    private static Arguments invalid(String why, String field, Object value) {
        return Arguments.of(why, body(validProduct(field, value)), field);
    }

    @Test
    void bodyOver64KiBIs413() {
        web.post().uri("/products").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.setBearerAuth(ownerToken))
                .bodyValue(body(validProduct("description", "d".repeat(70 * 1024))))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertNothingStored();
    }

    @Test
    void titleAndDescriptionAreTrimmed() {
        String id = createWith(Map.of("title", "  Lamp  ", "description", "\tA desk lamp\n"));
        web.get().uri("/products/{id}", id).exchange()
                .expectBody()
                .jsonPath("$.title").isEqualTo("Lamp")
                .jsonPath("$.description").isEqualTo("A desk lamp");
    }

    // ---- batch and pages ----

    @Test
    void batchLookupReturnsTheProductsThatExist() {
        String a = createWith(Map.of("title", "A"));
        String b = createWith(Map.of("title", "B"));
        createWith(Map.of("title", "C"));
        String missing = new ObjectId().toHexString();

        web.get().uri("/products?ids={ids}", a + "," + b + "," + missing).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].id").value(List.class,
                        ids -> assertThat(ids).containsExactlyInAnyOrder(a, b));
        web.get().uri("/products?ids={a}&ids={b}", a, b).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(2);
    }

    @Test
    void aBatchLookupAnswersEachProductAsItsOwnReadDoesInOneBodyOfKnownLength() {
        String a = createWith(Map.of("title", "A", "price", new BigDecimal("12.50")));
        String single = web.get().uri("/products/{id}", a).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        // the page and the batch lookup make their answers from the stored document, the single read from the entity
        web.get().uri("/products?ids={id}", a).exchange().expectStatus().isOk()
                .expectHeader().exists(HttpHeaders.CONTENT_LENGTH)
                .expectBody().json("[" + single + "]", JsonCompareMode.STRICT);
        web.get().uri("/products?page=0&size=1").exchange().expectStatus().isOk()
                .expectBody().json("{\"content\":[" + single + "]}", JsonCompareMode.LENIENT);
    }

    @Test
    void batchLookupRejectsBadIdsAndMoreThan100() {
        expectProblem(web.get().uri("/products?ids={ids}", new ObjectId().toHexString() + ",nope").exchange(),
                HttpStatus.BAD_REQUEST, "ids");
        String many = String.join(",", IntStream.range(0, 101).mapToObj(i -> new ObjectId().toHexString()).toList());
        expectProblem(web.get().uri("/products?ids={ids}", many).exchange(), HttpStatus.BAD_REQUEST, "ids");
        String hundred = String.join(",", IntStream.range(0, 100).mapToObj(i -> new ObjectId().toHexString()).toList());
        web.get().uri("/products?ids={ids}", hundred).exchange().expectStatus().isOk();
    }

    @Test
    void theIdLimitsCountIdsAsGivenNotAfterMergingDuplicates() {
        String id = createWith(Map.of());
        String copies = String.join(",", java.util.Collections.nCopies(101, id));
        expectProblem(web.get().uri("/products?ids={ids}", copies).exchange(), HttpStatus.BAD_REQUEST, "ids");
        expectProblem(web.get().uri("/products?userId={ids}", String.join(",", java.util.Collections.nCopies(com.example.shop.web.filter.FilterParser.MAX_IDS + 1, owner)))
                .exchange(), HttpStatus.BAD_REQUEST, "userId");
        web.get().uri("/products?ids={ids}", String.join(",", java.util.Collections.nCopies(100, id))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    void pagesAreSortedByPriceAndTitleAndCarryTheirMetadata() {
        createWith(Map.of("title", "B", "price", new BigDecimal("5.50")));
        createWith(Map.of("title", "A", "price", new BigDecimal("100")));
        createWith(Map.of("title", "C", "price", new BigDecimal("20.25")));
        createWith(Map.of("title", "D", "price", new BigDecimal("0.99")));
        createWith(Map.of("title", "E", "price", new BigDecimal("1000000.00")));

        web.get().uri("/products?page=0&size=3&sort=price,desc").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.content[*].title").value(List.class, titles -> assertThat(titles).containsExactly("E", "A", "C"))
                .jsonPath("$.page.size").isEqualTo(3)
                .jsonPath("$.page.number").isEqualTo(0)
                .jsonPath("$.page.totalElements").isEqualTo(5)
                .jsonPath("$.page.totalPages").isEqualTo(2);
        web.get().uri("/products?page=1&size=3&sort=price,desc").exchange()
                .expectBody().jsonPath("$.content[*].title").value(List.class,
                        titles -> assertThat(titles).containsExactly("B", "D"));
        web.get().uri("/products?sort=title,asc").exchange()
                .expectBody().jsonPath("$.content[*].title").value(List.class,
                        titles -> assertThat(titles).containsExactly("A", "B", "C", "D", "E"));
        web.get().uri("/products?sort=price").exchange()
                .expectBody().jsonPath("$.content[*].title").value(List.class,
                        titles -> assertThat(titles).containsExactly("D", "B", "C", "A", "E"));
    }

    @Test
    void pagesFilterByOneOrSeveralOwners() {
        String second = new ObjectId().toHexString();
        String third = new ObjectId().toHexString();
        userService.userExists(second);
        userService.userExists(third);
        createWith(Map.of("title", "first's"));
        createAs(second, Map.of("title", "second's"));
        createAs(third, Map.of("title", "third's"));

        web.get().uri("/products?userId={a},{b}&sort=title", owner, second).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.content[*].title").value(List.class,
                        titles -> assertThat(titles).containsExactly("first's", "second's"))
                .jsonPath("$.page.totalElements").isEqualTo(2);
        web.get().uri("/products?userId={a}&userId={b}&sort=title", second, third).exchange()
                .expectBody().jsonPath("$.content[*].title").value(List.class,
                        titles -> assertThat(titles).containsExactly("second's", "third's"));
        web.get().uri("/products?userId={a}", third).exchange()
                .expectBody().jsonPath("$.page.totalElements").isEqualTo(1);
        expectProblem(web.get().uri("/products?userId=zzz").exchange(), HttpStatus.BAD_REQUEST, "userId");
    }

    // ---- filters ----

    /** The titles of every page of {@code query} ({@code size=2}, by price then id), and each page's total. */
    private List<String> titlesOverEveryPage(String query, long total) {
        List<String> titles = new java.util.ArrayList<>();
        long pages = (total + 1) / 2;
        for (int page = 0; page <= pages; page++) {
            web.get().uri("/products?" + query + "&size=2&sort=price&page=" + page).exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.page.totalElements").isEqualTo((int) total)
                    .jsonPath("$.page.totalPages").isEqualTo((int) pages)
                    .jsonPath("$.content[*].title").value(List.class, onPage -> titles.addAll(onPage));
        }
        return titles;
    }

    @Test
    void filtersCombineWithAndAndPageWithExactTotals() {
        String second = new ObjectId().toHexString();
        store(owner, "Lamp small", "9.99");
        store(owner, "Lamp (big)", "100");
        store(owner, "Lamp.desk", "45.50");
        store(second, "Lamp floor", "120");
        store(second, "Lamp tiny", "10");
        store(owner, "Desk", "250");
        store(second, "lamp lower-case", "50");
        String gone = store(owner, "Lamp gone", "60");
        delete(gone).expectStatus().isNoContent();

        // a range (the same field twice), a prefix (case-sensitive) and owners (an in): all must hold
        assertThat(titlesOverEveryPage("price=gte.10&price=lt.120&title=prefix.Lamp", 3))
                .containsExactly("Lamp tiny", "Lamp.desk", "Lamp (big)");
        assertThat(titlesOverEveryPage("price=gte.10&price=lt.120&title=prefix.Lamp&userId=in." + owner, 2))
                .containsExactly("Lamp.desk", "Lamp (big)");
        assertThat(titlesOverEveryPage("userId=in." + owner + "," + second + "&price=gt.100", 2))
                .containsExactly("Lamp floor", "Desk");
        assertThat(titlesOverEveryPage("userId=eq." + second, 3)).containsExactly("Lamp tiny", "lamp lower-case", "Lamp floor");
        assertThat(titlesOverEveryPage("price=lte.10", 2)).containsExactly("Lamp small", "Lamp tiny");
        assertThat(titlesOverEveryPage("price=eq.45.5", 1)).as("by value, not by spelling").containsExactly("Lamp.desk");
        assertThat(titlesOverEveryPage("price=in.9.99,250,7", 2)).containsExactly("Lamp small", "Desk");
        assertThat(titlesOverEveryPage("title=eq.Desk", 1)).containsExactly("Desk");
        assertThat(titlesOverEveryPage("title=in.Desk,Lamp tiny,Nothing", 2)).containsExactly("Lamp tiny", "Desk");
        // a prefix is literal: its regular expression characters match only themselves
        assertThat(titlesOverEveryPage("title=prefix.Lamp (", 1)).containsExactly("Lamp (big)");
        assertThat(titlesOverEveryPage("title=prefix.Lamp.", 1)).containsExactly("Lamp.desk");
        assertThat(titlesOverEveryPage("title=prefix.L.mp", 0)).isEmpty();
        assertThat(titlesOverEveryPage("title=prefix.Lamp&title=eq.Desk", 0)).isEmpty();
        // the bare list of owners (the parameter as it was) is their in
        assertThat(titlesOverEveryPage("userId=" + second + "&price=gte.50", 2)).containsExactly("lamp lower-case", "Lamp floor");
    }

    @Test
    void aBadFilterIsA400NamingItsField() {
        expectProblem(web.get().uri("/products?price=gte.abc").exchange(), HttpStatus.BAD_REQUEST, "price");
        expectProblem(web.get().uri("/products?price=gte.NaN").exchange(), HttpStatus.BAD_REQUEST, "price");
        expectProblem(web.get().uri("/products?price=gte.0x10").exchange(), HttpStatus.BAD_REQUEST, "price");
        expectProblem(web.get().uri("/products?price=10").exchange(), HttpStatus.BAD_REQUEST, "price");
        expectProblem(web.get().uri("/products?price=prefix.1").exchange(), HttpStatus.BAD_REQUEST, "price");
        expectProblem(web.get().uri("/products?price=gte.1&price=gte.2").exchange(), HttpStatus.BAD_REQUEST, "price");
        expectProblem(web.get().uri("/products?title=gt.A").exchange(), HttpStatus.BAD_REQUEST, "title");
        expectProblem(web.get().uri("/products?title=like.A").exchange(), HttpStatus.BAD_REQUEST, "title");
        expectProblem(web.get().uri("/products?title=eq.{t}", "x".repeat(201)).exchange(), HttpStatus.BAD_REQUEST, "title");
        expectProblem(web.get().uri("/products?userId=in.").exchange(), HttpStatus.BAD_REQUEST, "userId");
        expectProblem(web.get().uri("/products?userId=gt." + owner).exchange(), HttpStatus.BAD_REQUEST, "userId");
        expectProblem(web.get().uri("/products?userId=in.{ids}", String.join(",", java.util.Collections.nCopies(com.example.shop.web.filter.FilterParser.MAX_IDS + 1, owner)))
                .exchange(), HttpStatus.BAD_REQUEST, "userId");
        expectProblem(web.get().uri("/products?description=eq.x").exchange(), HttpStatus.BAD_REQUEST, "description");
        expectProblem(web.get().uri("/products?color=red").exchange(), HttpStatus.BAD_REQUEST, "color");
        // a batch lookup by ids takes nothing else: a filter there is refused, not ignored
        expectProblem(web.get().uri("/products?ids={id}&price=gte.1", owner).exchange(), HttpStatus.BAD_REQUEST, "price");
        web.get().uri("/products?price=in.{prices}", String.join(",", java.util.Collections.nCopies(100, "1"))).exchange()
                .expectStatus().isOk();
    }

    @Test
    void theApiDocumentDescribesEveryFilterWithItsOperatorsAndBounds() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/products'].get.parameters[?(@.name == 'price')]['x-filter'].operators")
                .value(List.class, operators -> assertThat(operators).containsExactly(List.of("eq", "in", "gt", "gte", "lt", "lte")))
                .jsonPath("$.paths['/products'].get.parameters[?(@.name == 'title')]['x-filter'].maxLength")
                .value(List.class, length -> assertThat(length).containsExactly(Product.MAX_TITLE))
                .jsonPath("$.paths['/products'].get.parameters[?(@.name == 'userId')]['x-filter'].operators")
                .value(List.class, operators -> assertThat(operators).containsExactly(List.of("eq", "in")))
                .jsonPath("$.paths['/products'].get.parameters[?(@['x-filter'])].name")
                .value(List.class, names -> assertThat(names).containsExactlyElementsOf(
                        com.example.shop.product.product.domain.ProductService.FILTERABLE.names()))
                .jsonPath("$.paths['/products/owned'].get.parameters[?(@['x-filter'])].name")
                .value(List.class, names -> assertThat(names).containsExactly("title", "price"))
                .jsonPath("$.paths['/products/owned'].get.parameters[?(@.name == 'skip')].schema.maximum")
                .value(List.class, max -> assertThat(max).containsExactly(OwnedProductsController.MAX_SKIP))
                .jsonPath("$.paths['/products/owned'].get.parameters[?(@.name == 'userId')].required")
                .value(List.class, required -> assertThat(required).containsExactly(true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedQueries")
    void everyQueryParameterGivenBareEmptyTwiceOrGarbledIsA400NamingIt(String target, String parameter) {
        MalformedQueries.assertRefusedNaming(RawHttp.get(port, target), parameter);
    }

    /** Each query parameter product-service reads, in each malformed form ({@link MalformedQueries}). */
    static Stream<Arguments> malformedQueries() {
        String id = "65f0a1b2c3d4e5f60718293a";
        String owned = "/products/owned?userId=" + id;
        return Stream.of(
                MalformedQueries.of("/products", "page", "0", MalformedQueries.Kind.SINGLE),
                MalformedQueries.of("/products", "size", "5", MalformedQueries.Kind.SINGLE),
                MalformedQueries.of("/products", "sort", "price", MalformedQueries.Kind.REPEATABLE),
                MalformedQueries.of("/products", "userId", id, MalformedQueries.Kind.LIST),
                MalformedQueries.of("/products", "price", "gte.1", MalformedQueries.Kind.REPEATABLE),
                // a title of the longest length, which any character more makes too long
                MalformedQueries.of("/products", "title", "eq." + "x".repeat(Product.MAX_TITLE), MalformedQueries.Kind.REPEATABLE),
                MalformedQueries.of("/products", "ids", id, MalformedQueries.Kind.LIST),
                MalformedQueries.of("/products/owned", "userId", id, MalformedQueries.Kind.LIST),
                MalformedQueries.of(owned, "sort", "price", MalformedQueries.Kind.REPEATABLE),
                MalformedQueries.of(owned, "limit", "3", MalformedQueries.Kind.SINGLE),
                MalformedQueries.of(owned, "count", "true", MalformedQueries.Kind.SINGLE),
                MalformedQueries.of(owned, "skip", "3", MalformedQueries.Kind.SINGLE),
                MalformedQueries.of(owned, "price", "gte.1", MalformedQueries.Kind.REPEATABLE),
                Stream.of(Arguments.of("/products?sort=price&sort=price,desc", "sort"),
                        Arguments.of("/products?ids=" + id.toUpperCase(), "ids"),
                        Arguments.of("/products?userId=" + id.toUpperCase(), "userId"),
                        Arguments.of("/products/owned?userId=" + id + "," + id.toUpperCase(), "userId")))
                .flatMap(cases -> cases);
    }

    @Test
    void anIdHasOneSpellingAndAnUpperCaseOneChangesNothing() {
        String id = createWith(Map.of());
        expectProblem(web.get().uri("/products/{id}", id.toUpperCase()).exchange(), HttpStatus.BAD_REQUEST, "id");
        expectProblem(patch(id.toUpperCase(), Map.of("title", "Renamed")), HttpStatus.BAD_REQUEST, "id");
        expectProblem(web.delete().uri("/products/{id}", id.toUpperCase()).headers(headers -> headers.setBearerAuth(ownerToken))
                .exchange(), HttpStatus.BAD_REQUEST, "id");
        expectProblem(web.delete().uri("/internal/users/{u}/products", owner.toUpperCase())
                .headers(headers -> headers.setBearerAuth(TestSecurity.serviceToken("user-service"))).exchange(),
                HttpStatus.BAD_REQUEST, "userId");
        assertUnchanged(id);
        assertThat(rawProduct(id).get("deletion")).isNull();
    }

    @Test
    void pagesRejectUnknownSortFieldsAndSizesOver100() {
        expectProblem(web.get().uri("/products?sort=description").exchange(), HttpStatus.BAD_REQUEST, "sort");
        expectProblem(web.get().uri("/products?sort=price,sideways").exchange(), HttpStatus.BAD_REQUEST, "sort");
        expectProblem(web.get().uri("/products?size=101").exchange(), HttpStatus.BAD_REQUEST, "size");
        expectProblem(web.get().uri("/products?page=-1").exchange(), HttpStatus.BAD_REQUEST, "page");
        expectProblem(web.get().uri("/products?size=abc").exchange(), HttpStatus.BAD_REQUEST, "size");
    }

    @Test
    void pageAndSizeTakePlainDecimalDigitsOnly() {
        // URI variables are encoded strictly: '+' and ' ' reach the service as they are written here
        for (String bad : List.of("0x10", "#10", "1e2", "0010", "+5", " 5", "5 ", "-0", "\u0665", "99999999999")) {
            expectProblem(web.get().uri("/products?page={page}", bad).exchange(), HttpStatus.BAD_REQUEST, "page");
            expectProblem(web.get().uri("/products?size={size}", bad).exchange(), HttpStatus.BAD_REQUEST, "size");
        }
        web.get().uri("/products?page={page}&size={size}", "10", "5").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.page.number").isEqualTo(10).jsonPath("$.page.size").isEqualTo(5);
    }

    // ---- the owners' products (the reverse lookup behind populate=products) ----

    @Test
    void ownedAnswersEachOwnerOnceInTheOrderAskedWithItsProductsOrderedById() {
        String none = new ObjectId().toHexString();
        String one = new ObjectId().toHexString();
        String seven = new ObjectId().toHexString();
        String onlyOne = store(one, "only", "5.00");
        List<String> sevenIds = IntStream.range(0, 7)
                .mapToObj(i -> store(seven, "p" + i, String.valueOf(10 - i))).toList();

        web.get().uri("/products/owned?userId={a},{b},{c},{d}", seven, none, one, seven).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$[*].userId").value(List.class, owners -> assertThat(owners).containsExactly(seven, none, one))
                .jsonPath("$[0].products[*].id").value(List.class, ids -> assertThat(ids).containsExactlyElementsOf(sevenIds))
                .jsonPath("$[0].products[0].title").isEqualTo("p0")
                .jsonPath("$[0].products[0].userId").isEqualTo(seven)
                .jsonPath("$[0].count").doesNotExist()
                .jsonPath("$[1].products").isArray()
                .jsonPath("$[1].products.length()").isEqualTo(0)
                .jsonPath("$[2].products[*].id").value(List.class, ids -> assertThat(ids).containsExactly(onlyOne));
        web.get().uri("/products/owned?userId={a}&userId={b}", one, one).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].products.length()").isEqualTo(1);
    }

    @Test
    void ownedSortsAscendingAndDescendingWithTiesBrokenById() {
        String a5 = store(owner, "A", "5.00");
        String b1 = store(owner, "B", "1.00");
        String c5 = store(owner, "C", "5.00");
        String d3 = store(owner, "D", "3.00");
        String e5 = store(owner, "E", "5.00");

        assertThat(ownedIds("sort=price")).containsExactly(b1, d3, a5, c5, e5);
        assertThat(ownedIds("sort=price,asc")).containsExactly(b1, d3, a5, c5, e5);
        assertThat(ownedIds("sort=price,desc")).containsExactly(a5, c5, e5, d3, b1);
        assertThat(ownedIds("sort=price,desc&sort=title,desc")).containsExactly(e5, c5, a5, d3, b1);
        assertThat(ownedIds("sort=title,desc")).containsExactly(e5, d3, c5, b1, a5);
        assertThat(ownedIds("sort=price,desc&limit=2")).containsExactly(a5, c5);
    }

    @Test
    void ownedLimitIsPerOwnerNotForTheWholeAnswer() {
        String rich = new ObjectId().toHexString();
        String poor = new ObjectId().toHexString();
        String single = new ObjectId().toHexString();
        List<String> richIds = IntStream.range(0, 7).mapToObj(i -> store(rich, "r" + i, String.valueOf(100 + i))).toList();
        List<String> poorIds = IntStream.range(0, 3).mapToObj(i -> store(poor, "p" + i, String.valueOf(1 + i))).toList();
        String singleId = store(single, "s", "50");

        web.get().uri("/products/owned?userId={a},{b},{c}&sort=price,desc&limit=2", poor, rich, single).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].products[*].id").value(List.class,
                        ids -> assertThat(ids).containsExactly(poorIds.get(2), poorIds.get(1)))
                .jsonPath("$[1].products[*].id").value(List.class,
                        ids -> assertThat(ids).containsExactly(richIds.get(6), richIds.get(5)))
                .jsonPath("$[2].products[*].id").value(List.class, ids -> assertThat(ids).containsExactly(singleId));
        web.get().uri("/products/owned?userId={a}&limit=100", rich).exchange()
                .expectBody().jsonPath("$[0].products.length()").isEqualTo(7);
        web.get().uri("/products/owned?userId={a}&limit=1", rich).exchange()
                .expectBody().jsonPath("$[0].products[*].id").value(List.class,
                        ids -> assertThat(ids).containsExactly(richIds.get(0)));
    }

    @Test
    void ownedCountsTheLiveProductsOfEachOwnerAndLeavesDeletedOnesOut() {
        userService.cartCleanupDown();
        List<String> mine = IntStream.range(0, 8).mapToObj(i -> store(owner, "m" + i, "1.00")).toList();
        String none = new ObjectId().toHexString();
        String one = new ObjectId().toHexString();
        store(one, "only", "2.00");
        delete(mine.get(3)).expectStatus().isNoContent();

        web.get().uri("/products/owned?userId={a},{b},{c},{d}&count=true", owner, none, one, owner).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(3)
                .jsonPath("$[*].userId").value(List.class, owners -> assertThat(owners).containsExactly(owner, none, one))
                .jsonPath("$[*].count").value(List.class, counts -> assertThat(counts).containsExactly(7, 0, 1))
                .jsonPath("$[0].products").doesNotExist();
        web.get().uri("/products/owned?userId={a}&count=false", owner).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].products[*].id").value(List.class, ids -> assertThat(ids)
                        .hasSize(7).doesNotContain(mine.get(3)));
        assertThat(rawProduct(mine.get(3)).get("deletion")).as("the deleted product is still a tombstone").isNotNull();
    }

    @Test
    void ownedFiltersEachOwnersProductsThenSkipsThenLimitsPerOwner() {
        String rich = new ObjectId().toHexString();
        String poor = new ObjectId().toHexString();
        // rich: prices 95..104, poor: 99..102; titles "r<price>" and "p<price>"
        Map<Integer, String> richIds = new java.util.TreeMap<>();
        IntStream.rangeClosed(95, 104).forEach(price -> richIds.put(price, store(rich, "r" + price, String.valueOf(price))));
        Map<Integer, String> poorIds = new java.util.TreeMap<>();
        IntStream.rangeClosed(99, 102).forEach(price -> poorIds.put(price, store(poor, "p" + price, String.valueOf(price))));
        // a deleted product (a tombstone) that every filter would pass
        mongo.insert(new Product(null, "r200", "https://img.example.com/r.png", new BigDecimal("200"), "gone",
                new ObjectId(rich), com.example.shop.deletion.Deletion.pending(java.time.Instant.now()))).block();

        // rich has 100..104 at 100 or more: descending 104, 103, 102 | 101, 100; poor has 100..102
        web.get().uri("/products/owned?userId={a},{b}&price=gte.100&sort=price,desc&skip=1&limit=3", rich, poor).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].products[*].id").value(List.class, ids -> assertThat(ids)
                        .containsExactly(richIds.get(103), richIds.get(102), richIds.get(101)))
                .jsonPath("$[1].products[*].id").value(List.class, ids -> assertThat(ids)
                        .containsExactly(poorIds.get(101), poorIds.get(100)));
        web.get().uri("/products/owned?userId={a},{b}&price=gte.100&price=lt.103&skip=3", rich, poor).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].products").isEmpty()
                .jsonPath("$[1].products").isEmpty();
        web.get().uri("/products/owned?userId={a},{b}&title=prefix.r10&skip=4&sort=price", rich, poor).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].products[*].id").value(List.class, ids -> assertThat(ids).containsExactly(richIds.get(104)))
                .jsonPath("$[1].products.length()").isEqualTo(0);
        web.get().uri("/products/owned?userId={a},{b}&price=gte.100&count=true", rich, poor).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].count").value(List.class, counts -> assertThat(counts).containsExactly(5, 3));
        web.get().uri("/products/owned?userId={a},{b}&title=in.r95,p99,r96&price=lt.99&count=true", rich, poor).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].count").value(List.class, counts -> assertThat(counts).containsExactly(2, 0));
    }

    @Test
    void ownedFiltersOnUserIdChooseAmongTheOwners() {
        String a = new ObjectId().toHexString();
        String b = new ObjectId().toHexString();
        String ofA = store(a, "a", "1");
        String ofB = store(b, "b", "2");

        web.get().uri("/products/owned?userId={a},{b}&userId=eq.{c}", a, b, b).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[*].userId").value(List.class, owners -> assertThat(owners).containsExactly(a, b))
                .jsonPath("$[0].products.length()").isEqualTo(0)
                .jsonPath("$[1].products[*].id").value(List.class, ids -> assertThat(ids).containsExactly(ofB));
        web.get().uri("/products/owned?userId={a},{b}&userId=in.{c},{d}&count=true", a, b, a, new ObjectId().toHexString())
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].count").value(List.class, counts -> assertThat(counts).containsExactly(1, 0));
        web.get().uri("/products/owned?userId={a}&userId=in.{b}", a, b).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].products.length()").isEqualTo(0);
        assertThat(ofA).isNotEqualTo(ofB);
    }

    @Test
    void ownedIsNotMistakenForAProductId() {
        expectProblem(web.get().uri("/products/owned").exchange(), HttpStatus.BAD_REQUEST, "userId");
        web.get().uri("/products/owned?userId={u}", owner).exchange().expectStatus().isOk();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOwnedQueries")
    void ownedRefusesABadQueryWith400NamingTheParameter(String query, String parameter) {
        expectProblem(web.get().uri("/products/owned" + query.replace("{u}", owner).replace("{v}", other)).exchange(),
                HttpStatus.BAD_REQUEST, parameter);
    }

    static Stream<Arguments> invalidOwnedQueries() {
        return Stream.of(
                Arguments.of("", "userId"),
                Arguments.of("?userId=", "userId"),
                Arguments.of("?userId=,", "userId"),
                Arguments.of("?limit=3", "userId"),
                Arguments.of("?userId=nope", "userId"),
                Arguments.of("?userId={u},nope", "userId"),
                Arguments.of("?userId={u}&limit=0", "limit"),
                Arguments.of("?userId={u}&limit=101", "limit"),
                Arguments.of("?userId={u}&limit=-1", "limit"),
                Arguments.of("?userId={u}&limit=abc", "limit"),
                Arguments.of("?userId={u}&limit=1.5", "limit"),
                Arguments.of("?userId={u}&limit=0x10", "limit"),
                Arguments.of("?userId={u}&limit=", "limit"),
                Arguments.of("?userId={u}&limit=99999999999", "limit"),
                Arguments.of("?userId={u}&limit=2&limit=3", "limit"),
                Arguments.of("?userId={u}&sort=description", "sort"),
                Arguments.of("?userId={u}&sort=userId", "sort"),
                Arguments.of("?userId={u}&sort=price,sideways", "sort"),
                Arguments.of("?userId={u}&count=yes", "count"),
                Arguments.of("?userId={u}&count=1", "count"),
                Arguments.of("?userId={u}&count=", "count"),
                Arguments.of("?userId={u}&count=true&count=false", "count"),
                Arguments.of("?userId={u},{v}&count=true&sort=price", "sort"),
                Arguments.of("?userId={u}&count=true&limit=3", "limit"),
                Arguments.of("?userId={u}&count=true&skip=0", "skip"),
                Arguments.of("?userId={u}&skip=-1", "skip"),
                Arguments.of("?userId={u}&skip=1001", "skip"),
                Arguments.of("?userId={u}&skip=1.5", "skip"),
                Arguments.of("?userId={u}&skip=1&skip=2", "skip"),
                Arguments.of("?userId={u}&price=gte.abc", "price"),
                Arguments.of("?userId={u}&price=prefix.1", "price"),
                Arguments.of("?userId={u}&price=gte.1&price=gte.2", "price"),
                Arguments.of("?userId={u}&title=gt.a", "title"),
                Arguments.of("?userId={u}&title=eq." + "x".repeat(Product.MAX_TITLE + 1), "title"),
                Arguments.of("?userId={u}&title=in." + "a,".repeat(100) + "b", "title"),
                Arguments.of("?userId={u}&description=eq.a", "description"),
                Arguments.of("?userId={u}&userId=gt.{v}", "userId"),
                Arguments.of("?userId={u}&userId=eq.nope", "userId"),
                Arguments.of("?userId=in.{u}", "userId"));
    }

    @Test
    void ownedTakesAtMost100OwnerIdsCountedAsGiven() {
        List<String> hundred = IntStream.range(0, 100).mapToObj(i -> new ObjectId().toHexString()).toList();
        web.get().uri("/products/owned?userId={ids}", String.join(",", hundred)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(100);
        web.get().uri("/products/owned?userId={ids}&count=true", String.join(",", hundred)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(100);
        String many = String.join(",", hundred) + "," + new ObjectId().toHexString();
        expectProblem(web.get().uri("/products/owned?userId={ids}", many).exchange(), HttpStatus.BAD_REQUEST, "userId");
        expectProblem(web.get().uri("/products/owned?userId={ids}&count=true", many).exchange(), HttpStatus.BAD_REQUEST, "userId");
        expectProblem(web.get().uri("/products/owned?userId={ids}", String.join(",", java.util.Collections.nCopies(101, owner)))
                .exchange(), HttpStatus.BAD_REQUEST, "userId");
    }

    // ---- patch ----

    @Test
    void patchChangesTheGivenFieldsAndKeepsTheOthers() {
        String id = createWith(Map.of());
        web.patch().uri("/products/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.setBearerAuth(ownerToken))
                .bodyValue("{\"title\":\" Floor lamp \",\"price\":1000000.00,\"description\":null}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(ProductResponse.class).isEqualTo(new ProductResponse(id, "Floor lamp",
                        "https://img.example.com/lamp.png", new BigDecimal("1000000.00"), "A desk lamp", owner));
        assertThat(rawProduct(id).get("price")).isEqualTo(new Decimal128(new BigDecimal("1000000.00")));
        assertThat(userService.ownerChecks(owner)).as("the create's owner check, and the change's check that the caller still exists")
                .hasSize(2);
    }

    @Test
    void patchCannotGiveTheProductAwayAndChangesNothing() {
        String id = createWith(Map.of());
        int lookups = userService.userLookups();
        expectProblem(patch(id, Map.of("userId", other)), HttpStatus.FORBIDDEN, "userId");
        expectProblem(patch(id, Map.of("userId", Map.of("id", other), "title", "Other")), HttpStatus.FORBIDDEN, "userId");
        expectProblem(patch(id, Map.of("userId", new ObjectId().toHexString(), "title", "Other")),
                HttpStatus.FORBIDDEN, "userId");
        assertUnchanged(id);
        assertThat(userService.userLookups()).as("no owner check for a refused change").isEqualTo(lookups);
    }

    @Test
    void patchNamingTheOwnerItselfIsANoOp() {
        String id = createWith(Map.of());
        patch(id, Map.of("userId", owner, "title", "Other")).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.title").isEqualTo("Other")
                .jsonPath("$.userId").isEqualTo(owner);
        patch(id, Map.of("userId", Map.of("id", owner))).expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo(owner);
        assertThat(rawProduct(id).get("userId")).isEqualTo(new ObjectId(owner));
    }

    @Test
    void anotherUserCannotChangeOrDeleteTheProductWhateverTheBody() {
        String id = createWith(Map.of());
        String otherToken = TestSecurity.userToken(other);
        expectProblem(patchWith(otherToken, id, Map.of("title", "Mine now")), HttpStatus.FORBIDDEN, null);
        expectProblem(patchWith(otherToken, id, Map.of("userId", other)), HttpStatus.FORBIDDEN, null);
        expectProblem(patchWith(otherToken, id, Map.of("userId", owner, "price", new BigDecimal("0.01"))),
                HttpStatus.FORBIDDEN, null);
        expectProblem(deleteWith(otherToken, id), HttpStatus.FORBIDDEN, null);

        assertUnchanged(id);
        assertThat(rawProduct(id).get("deletion")).as("not deleted").isNull();
        web.get().uri("/products/{id}", id).exchange().expectStatus().isOk();
    }

    @Test
    void forAnyUserAMissingProductIs404BeforeOwnershipIsConsidered() {
        String missing = new ObjectId().toHexString();
        String otherToken = TestSecurity.userToken(other);
        expectProblem(patchWith(otherToken, missing, Map.of("title", "x")), HttpStatus.NOT_FOUND, null);
        expectProblem(patchWith(otherToken, missing, Map.of("userId", owner)), HttpStatus.NOT_FOUND, null);
        expectProblem(deleteWith(otherToken, missing), HttpStatus.NOT_FOUND, null);

        String deleted = createWith(Map.of());
        userService.cartCleanupDown();
        delete(deleted).expectStatus().isNoContent();
        expectProblem(patchWith(otherToken, deleted, Map.of("title", "x")), HttpStatus.NOT_FOUND, null);
        expectProblem(deleteWith(otherToken, deleted), HttpStatus.NOT_FOUND, null);
    }

    @Test
    void anInvalidBodyIs400ForAnyUserBeforeTheProductIsLookedAt() {
        String id = createWith(Map.of());
        String otherToken = TestSecurity.userToken(other);
        expectProblem(patchWith(otherToken, id, Map.of()), HttpStatus.BAD_REQUEST, "body");
        expectProblem(patchWith(otherToken, id, Map.of("price", new BigDecimal("1.001"))), HttpStatus.BAD_REQUEST, "price");
        expectProblem(deleteWith(otherToken, "xyz"), HttpStatus.BAD_REQUEST, "id");
        assertUnchanged(id);
    }

    @Test
    void patchRejectsEmptyAndInvalidBodiesAndChangesNothing() {
        String id = createWith(Map.of());
        expectProblem(patch(id, Map.of()), HttpStatus.BAD_REQUEST, "body");
        expectProblem(patch(id, Map.of("price", new BigDecimal("1.001"))), HttpStatus.BAD_REQUEST, "price");
        expectProblem(patch(id, Map.of("title", "")), HttpStatus.BAD_REQUEST, "title");
        expectProblem(patch(id, Map.of("imageUrl", "ftp://x.example.com/a.png")), HttpStatus.BAD_REQUEST, "imageUrl");
        expectProblem(patch(id, Map.of("id", new ObjectId().toHexString())), HttpStatus.BAD_REQUEST, "id");
        assertUnchanged(id);
    }

    @Test
    void patchOfAnUnknownProductIs404() {
        expectProblem(patch(new ObjectId().toHexString(), Map.of("title", "x")), HttpStatus.NOT_FOUND, null);
        expectProblem(patch(new ObjectId().toHexString(), Map.of("userId", owner)), HttpStatus.NOT_FOUND, null);
        expectProblem(patch(new ObjectId().toHexString(), Map.of("userId", other)), HttpStatus.NOT_FOUND, null);
        assertNothingStored();
    }

    // ---- a deleted user ----

    @Test
    void aDeletedUsersTokenCannotCreateChangeOrDeleteAndNothingChanges() {
        String id = createWith(Map.of());
        // the owner is deleted in user-service; its access token stays valid until it expires
        userService.userDeleted(owner);

        expectProblem(patch(id, Map.of("title", "Still mine", "price", new BigDecimal("0.01"))), HttpStatus.FORBIDDEN, null);
        expectProblem(patch(id, Map.of("userId", owner, "title", "Still mine")), HttpStatus.FORBIDDEN, null);
        expectProblem(delete(id), HttpStatus.FORBIDDEN, null);
        expectProblem(post(validProduct()), HttpStatus.UNPROCESSABLE_CONTENT, "userId");

        assertUnchanged(id);
        assertThat(rawProduct(id).get("deletion")).as("not deleted by the deleted user's token").isNull();
        assertThat(mongo.count(new Query(), "products").block()).as("products stored").isEqualTo(1);
        assertThat(userService.ownerChecks(owner)).as("each write asked user-service").hasSize(5);
    }

    @Test
    void whenUserServiceCannotSayWhetherTheCallerExistsThenPatchAndDeleteAre503AndChangeNothing() {
        String id = createWith(Map.of());
        userService.down();
        for (WebTestClient.ResponseSpec response : List.of(patch(id, Map.of("title", "Other")), delete(id))) {
            response.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("user-service"));
        }
        assertUnchanged(id);
        assertThat(rawProduct(id).get("deletion")).isNull();
    }

    @Test
    void deletingAUserDeletesAllItsProductsAtOnceAndTheyThenLeaveEveryCart() {
        String lamp = createWith(Map.of());
        String desk = createWith(Map.of("title", "Desk"));
        String others = createAs(other, Map.of("title", "Other's"));
        userService.userDeleted(owner);

        deleteAllOf(owner).expectStatus().isOk()
                .expectBody().jsonPath("$.userId").isEqualTo(owner).jsonPath("$.productsDeleted").isEqualTo(2);

        for (String id : List.of(lamp, desk)) {
            expectProblem(web.get().uri("/products/{id}", id).exchange(), HttpStatus.NOT_FOUND, null);
        }
        web.get().uri("/products?ids={a},{b},{c}", lamp, desk, others).exchange()
                .expectBody().jsonPath("$[*].id").value(List.class, ids -> assertThat(ids).containsExactly(others));
        web.get().uri("/products?userId={u}", owner).exchange()
                .expectBody().jsonPath("$.page.totalElements").isEqualTo(0);
        web.get().uri("/products/{id}", others).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(userService.cartCleanups(lamp)).isNotEmpty();
            assertThat(userService.cartCleanups(desk)).isNotEmpty();
            assertThat(rawProductOrNull(lamp)).isNull();
            assertThat(rawProductOrNull(desk)).isNull();
        });
        assertThat(userService.cartCleanups(others)).isEmpty();

        deleteAllOf(owner).expectStatus().isOk()
                .expectBody().jsonPath("$.productsDeleted").isEqualTo(0);
    }

    @Test
    void aCreateWhoseOwnerIsDeletedBetweenItsCheckAndItsInsertLeavesNoProduct() {
        // user-service still says the owner exists (the check ran just before the deletion), while the
        // deletion of the owner's products has already reached product-service
        deleteAllOf(owner).expectStatus().isOk();

        expectProblem(post(validProduct()), HttpStatus.UNPROCESSABLE_CONTENT, "userId");

        web.get().uri("/products?userId={u}", owner).exchange()
                .expectBody().jsonPath("$.page.totalElements").isEqualTo(0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertNothingStored());
    }

    @Test
    void theProductsOfADeletedUserLeaveTheCartsAfterUserServiceComesBack() {
        String lamp = createWith(Map.of());
        userService.cartCleanupDown();

        deleteAllOf(owner).expectStatus().isOk();
        expectProblem(web.get().uri("/products/{id}", lamp).exchange(), HttpStatus.NOT_FOUND, null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(rawProduct(lamp).get("deletion", Document.class).getInteger("attempts")).isGreaterThanOrEqualTo(2));

        userService.cartCleanupWorks();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(rawProductOrNull(lamp)).isNull());
    }

    @Test
    void onlyAServiceDeletesAUsersProducts() {
        String lamp = createWith(Map.of());
        expectProblem(web.delete().uri("/internal/users/{u}/products", owner)
                .headers(headers -> headers.setBearerAuth(ownerToken)).exchange(), HttpStatus.FORBIDDEN, null);
        expectProblem(web.delete().uri("/internal/users/{u}/products", owner).exchange(), HttpStatus.UNAUTHORIZED, null);
        expectProblem(web.delete().uri("/internal/users/not-an-id/products")
                .headers(headers -> headers.setBearerAuth(TestSecurity.serviceToken("user-service"))).exchange(),
                HttpStatus.BAD_REQUEST, "userId");
        assertUnchanged(lamp);
        assertThat(rawProduct(lamp).get("deletion")).isNull();
    }

    // ---- delete and the cart cleanup ----

    @Test
    void deletedProductIsGoneFromEveryReadAndWriteAtOnce() {
        userService.cartCleanupDown();
        String id = createWith(Map.of());
        String other = createWith(Map.of("title", "Other"));

        delete(id).expectStatus().isNoContent();

        expectProblem(web.get().uri("/products/{id}", id).exchange(), HttpStatus.NOT_FOUND, null);
        web.get().uri("/products?ids={a},{b}", id, other).exchange()
                .expectBody().jsonPath("$[*].id").value(List.class, ids -> assertThat(ids).containsExactly(other));
        web.get().uri("/products?userId={u}", owner).exchange()
                .expectBody().jsonPath("$.page.totalElements").isEqualTo(1);
        expectProblem(patch(id, Map.of("title", "back")), HttpStatus.NOT_FOUND, null);
        expectProblem(delete(id), HttpStatus.NOT_FOUND, null);
        assertThat(rawProduct(id).get("deletion", Document.class))
                .as("the tombstone stays while user-service cannot confirm").isNotNull();
    }

    @Test
    void deleteRemovesTheProductFromCartsAndThenForGood() {
        String id = createWith(Map.of());
        delete(id).expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(userService.cartCleanups(id)).isNotEmpty();
            assertThat(rawProductOrNull(id)).isNull();
        });
    }

    @Test
    void whenUserServiceIsDownAtDeleteThenTheCartsAreCleanedAfterItComesBack() {
        String id = createWith(Map.of());
        userService.cartCleanupDown();
        delete(id).expectStatus().isNoContent();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(rawProduct(id).get("deletion", Document.class).getInteger("attempts"))
                        .as("failed attempts, retried with backoff").isGreaterThanOrEqualTo(3));
        expectProblem(web.get().uri("/products/{id}", id).exchange(), HttpStatus.NOT_FOUND, null);
        int callsWhileDown = userService.cartCleanups(id).size();

        userService.cartCleanupWorks();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(rawProductOrNull(id)).isNull());
        assertThat(userService.cartCleanups(id).size()).isGreaterThan(callsWhileDown);
    }

    @Test
    void deleteOfAnUnknownProductIs404() {
        expectProblem(delete(new ObjectId().toHexString()), HttpStatus.NOT_FOUND, null);
        expectProblem(delete("xyz"), HttpStatus.BAD_REQUEST, "id");
    }

    // ---- helpers ----

    static Map<String, Object> validProduct() {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("title", "Lamp");
        product.put("imageUrl", "https://img.example.com/lamp.png");
        product.put("price", new BigDecimal("19.99"));
        product.put("description", "A desk lamp");
        product.put("userId", null);
        return product;
    }

    /** A valid product with one field replaced (null: removed). {@code userId} is filled in by {@link #body}. */
    static Map<String, Object> validProduct(String field, Object value) {
        Map<String, Object> product = validProduct();
        product.put(field, value);
        if (value == null) {
            product.remove(field);
        }
        return product;
    }

    private static final String OWNER_PLACEHOLDER = "{owner}";

    /**
     * JSON of a request body. A missing {@code userId} key stays missing; a {@code null} one becomes the
     * placeholder that {@link #post} replaces with the test's owner.
     */
    static String body(Map<String, Object> fields) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.replaceAll((key, value) -> key.equals("userId") && value == null ? OWNER_PLACEHOLDER : value);
        return json.writeValueAsString(copy);
    }

    private String withOwner(String body) {
        return body.replace(OWNER_PLACEHOLDER, owner);
    }

    /** POST by the owner; a {@code null} userId is the owner's id. */
    WebTestClient.ResponseSpec post(Map<String, Object> fields) {
        return postAs(owner, fields);
    }

    /** POST by {@code user}, with a valid access token; a {@code null} userId is {@link #owner}'s id. */
    WebTestClient.ResponseSpec postAs(String user, Map<String, Object> fields) {
        return web.post().uri("/products").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.setBearerAuth(TestSecurity.userToken(user)))
                .bodyValue(withOwner(body(fields))).exchange();
    }

    /** PATCH by the owner. */
    WebTestClient.ResponseSpec patch(String id, Map<String, Object> fields) {
        return patchWith(ownerToken, id, fields);
    }

    WebTestClient.ResponseSpec patchWith(String token, String id, Map<String, Object> fields) {
        return web.patch().uri("/products/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.setBearerAuth(token))
                .bodyValue(json.writeValueAsString(fields)).exchange();
    }

    /** DELETE by the owner. */
    WebTestClient.ResponseSpec delete(String id) {
        return deleteWith(ownerToken, id);
    }

    WebTestClient.ResponseSpec deleteWith(String token, String id) {
        return web.delete().uri("/products/{id}", id).headers(headers -> headers.setBearerAuth(token)).exchange();
    }

    /** user-service's call after it deleted {@code user}, with its service token. */
    WebTestClient.ResponseSpec deleteAllOf(String user) {
        return web.delete().uri("/internal/users/{u}/products", user)
                .headers(headers -> headers.setBearerAuth(TestSecurity.serviceToken("user-service"))).exchange();
    }

    /** The owner creates a valid product, naming itself as userId, with the given fields replaced; returns its id. */
    String createWith(Map<String, Object> changes) {
        Map<String, Object> fields = validProduct();
        fields.putAll(changes);
        return post(fields).expectStatus().isCreated()
                .expectBody(ProductResponse.class).returnResult().getResponseBody().id();
    }

    /** {@code user} creates a valid product (no userId: the caller's own) with the given fields replaced; returns its id. */
    String createAs(String user, Map<String, Object> changes) {
        Map<String, Object> fields = validProduct();
        fields.remove("userId");
        fields.putAll(changes);
        return postAs(user, fields).expectStatus().isCreated()
                .expectBody(ProductResponse.class).returnResult().getResponseBody().id();
    }

    /** Stores a live product of {@code user} directly (no owner check); returns its id. Ids grow in the order stored. */
    String store(String user, String title, String price) {
        return mongo.insert(new Product(null, title, "https://img.example.com/" + title + ".png", new BigDecimal(price),
                "A " + title, new ObjectId(user), null)).block().id().toHexString();
    }

    /** The ids of {@link #owner}'s products in the order {@code /products/owned} lists them with the given query. */
    List<String> ownedIds(String query) {
        return web.get().uri("/products/owned?userId=" + owner + "&" + query).exchange()
                .expectStatus().isOk()
                .expectBodyList(OwnersProducts.class)
                .returnResult().getResponseBody().get(0).products().stream().map(ProductResponse::id).toList();
    }

    /** One owner's entry in the answer of {@code /products/owned}. */
    record OwnersProducts(String userId, List<ProductResponse> products) {
    }

    static void expectProblem(WebTestClient.ResponseSpec response, HttpStatus status, String field) {
        WebTestClient.BodyContentSpec body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status.value());
        if (field != null) {
            body.jsonPath("$.errors[?(@.field == '%s')]".formatted(field)).exists()
                    .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains(field));
        }
    }

    Document rawProduct(String id) {
        Document document = rawProductOrNull(id);
        assertThat(document).as("product document " + id).isNotNull();
        return document;
    }

    Document rawProductOrNull(String id) {
        return mongo.findOne(Query.query(Criteria.where("_id").is(new ObjectId(id))), Document.class, "products").block();
    }

    void assertNothingStored() {
        assertThat(mongo.count(new Query(), "products").block()).as("products stored").isZero();
    }

    void assertUnchanged(String id) {
        Document stored = rawProduct(id);
        assertThat(stored.getString("title")).isEqualTo("Lamp");
        assertThat(stored.get("price")).isEqualTo(new Decimal128(new BigDecimal("19.99")));
        assertThat(stored.get("userId")).isEqualTo(new ObjectId(owner));
    }
}
