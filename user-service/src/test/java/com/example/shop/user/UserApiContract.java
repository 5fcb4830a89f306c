package com.example.shop.user;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.testing.MalformedQueries;
import com.example.shop.testing.RawHttp;
import com.example.shop.user.user.domain.User;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour of user-service over real HTTP, written once and run against each store: the
 * embedded wire-protocol server ({@link UserApiTest}) and a real MongoDB ({@link UserApiOnMongoDbTest},
 * where Docker exists). product-service is played by WireMock. Every request carries the token of the
 * caller it is about (the user itself, or a service where the test plays product-service or the gateway);
 * who may do what is {@link AccessMatrixTest}'s subject.
 */
abstract class UserApiContract extends ApiTestSupport {

    @Autowired
    HealthEndpoint health;

    // ---- users

    @Test
    void createsUserWithTrimmedNameLowerCaseEmailAndEmptyCart() {
        web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "  Ada Lovelace ", "email", " Ada@Example.COM", "password", PASSWORD))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", location -> assertThat(location).matches("/users/[0-9a-f]{24}"))
                .expectBody()
                .jsonPath("$.id").value(id -> assertThat((String) id).matches("[0-9a-f]{24}"))
                .jsonPath("$.name").isEqualTo("Ada Lovelace")
                .jsonPath("$.email").isEqualTo("ada@example.com")
                .jsonPath("$.cart.items").isEmpty()
                .jsonPath("$.password").doesNotExist()
                .jsonPath("$.passwordHash").doesNotExist();
    }

    @Test
    void getsUserByIdAndAnswers404ForUnknownAnd400ForMalformedId() {
        String id = createUser("Grace", "grace@example.com");
        as(id).get().uri("/users/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo("grace@example.com");
        as(id).get().uri("/users/{id}", new ObjectId().toHexString()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        expectProblem(as(id).get().uri("/users/not-an-id").exchange(), HttpStatus.BAD_REQUEST, "id");
    }

    @Test
    void anIdHasOneSpellingAndAnUpperCaseOneIsRefusedWherePathsAndBodiesNameOne() {
        String user = createUser("Ida", "ida@example.com");
        String product = new ObjectId().toHexString();
        expectProblem(as(user).get().uri("/users/{id}", user.toUpperCase()).exchange(), HttpStatus.BAD_REQUEST, "id");
        expectProblem(addItem(user, "\"" + product.toUpperCase() + "\"", 1), HttpStatus.BAD_REQUEST, "productId");
        expectProblem(addItem(user, "{\"id\":\"" + product.toUpperCase() + "\"}", 1), HttpStatus.BAD_REQUEST, "productId");
        expectProblem(as(user).put().uri("/users/{u}/cart/items/{p}", user, product.toUpperCase())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"quantity\":1}").exchange(),
                HttpStatus.BAD_REQUEST, "productId");
        expectProblem(as(user).delete().uri("/users/{u}/cart/items/{p}", user, product.toUpperCase()).exchange(),
                HttpStatus.BAD_REQUEST, "productId");
        expectProblem(asService().delete().uri("/internal/carts/items/{p}", product.toUpperCase()).exchange(),
                HttpStatus.BAD_REQUEST, "productId");
        // the user's own id spelt otherwise is not the user's path: nothing is changed through it
        for (String spelling : List.of(user.toUpperCase(), user.substring(0, 23) + user.substring(23).toUpperCase())) {
            if (!spelling.equals(user)) {
                as(user).patch().uri("/users/{id}", spelling).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("name", "Renamed")).exchange().expectStatus().isForbidden();
                as(user).delete().uri("/users/{id}", spelling).exchange().expectStatus().isForbidden();
            }
        }
        as(user).get().uri("/users/{id}", user).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("Ida").jsonPath("$.cart.items.length()").isEqualTo(0);
    }

    @Test
    void duplicateEmailIsConflictIgnoringCase() {
        createUser("One", "same@example.com");
        expectProblem(web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Two", "email", "SAME@example.com", "password", PASSWORD)).exchange(),
                HttpStatus.CONFLICT, "email");
        assertThat(userCount()).isEqualTo(1);
    }

    @Test
    void concurrentCreatesWithOneEmailLeaveExactlyOneUser() {
        WebClient client = WebClient.create("http://localhost:" + port);
        List<Integer> statuses = Flux.range(0, 20)
                .flatMap(i -> client.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("name", "Racer " + i, "email", "race@example.com", "password", PASSWORD))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), 20)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(userCount()).isEqualTo(1);
    }

    @Test
    void batchLookupReturnsTheUsersFoundInOneCall() {
        String a = createUser("A", "a@example.com");
        String b = createUser("B", "b@example.com");
        String missing = new ObjectId().toHexString();
        asService().get().uri("/users?ids={a},{b},{m},{a}", a, b, missing, a).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[*].id").value(ids -> assertThat((List<String>) ids).containsExactlyInAnyOrder(a, b));
        expectProblem(asService().get().uri("/users?ids=").exchange(), HttpStatus.BAD_REQUEST, "ids");
    }

    @Test
    void servicesSeeOnlyThePublicViewAndOnlyProductServiceReachesInternal() {
        String a = createUser("A", "a@example.com");
        WebTestClient gateway = withToken(TestSecurity.serviceToken("gateway"));
        for (WebTestClient service : List.of(gateway, asService())) {
            service.get().uri("/users?ids={a}", a).exchange().expectStatus().isOk()
                    .expectHeader().exists(HttpHeaders.CONTENT_LENGTH)
                    .expectBody().json("[{\"id\":\"" + a + "\",\"name\":\"A\"}]", JsonCompareMode.STRICT);
            service.get().uri("/users/{a}", a).exchange().expectStatus().isOk()
                    .expectBody().json("{\"id\":\"" + a + "\",\"name\":\"A\"}", JsonCompareMode.STRICT);
        }
        gateway.delete().uri("/internal/carts/items/{p}", new ObjectId().toHexString()).exchange()
                .expectStatus().isForbidden();
        asService().delete().uri("/internal/carts/items/{p}", new ObjectId().toHexString()).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aBatchLookupShowsTheCallerItselfWholeAndEveryOtherUserByIdAndNameOnly() {
        String self = createUser("Self", "self@example.com");
        String other = createUser("Other", "other@example.com");
        as(self).get().uri("/users?ids={o},{s}", other, self).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.id == '" + self + "')].email").isEqualTo("self@example.com")
                .jsonPath("$[?(@.id == '" + self + "')].cart.items").isArray()
                .jsonPath("$[?(@.id == '" + other + "')].name").isEqualTo("Other")
                .jsonPath("$[?(@.id == '" + other + "')].email").doesNotExist();
        as(self).get().uri("/users?ids={o}", other).exchange().expectStatus().isOk()
                .expectBody().json("[{\"id\":\"" + other + "\",\"name\":\"Other\"}]", JsonCompareMode.STRICT);
    }

    @Test
    void batchLookupRejectsMoreThan100IdsAndMalformedIds() {
        String many = String.join(",", Stream.generate(() -> new ObjectId().toHexString()).limit(101).toList());
        expectProblem(asService().get().uri("/users?ids=" + many).exchange(), HttpStatus.BAD_REQUEST, "ids");
        expectProblem(asService().get().uri("/users?ids=abc").exchange(), HttpStatus.BAD_REQUEST, "ids");
    }

    @Test
    void theIdLimitCountsIdsAsGivenNotAfterMergingDuplicates() {
        String one = createUser("One", "one@example.com");
        String copies = String.join(",", java.util.Collections.nCopies(101, one));
        expectProblem(asService().get().uri("/users?ids=" + copies).exchange(), HttpStatus.BAD_REQUEST, "ids");
        asService().get().uri("/users?ids=" + String.join(",", java.util.Collections.nCopies(100, one))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    void pagesUsersSortedWithMetadata() {
        String reader = null;
        for (String name : List.of("Cleo", "Ava", "Bea")) {
            reader = createUser(name, name.toLowerCase() + "@example.com");
        }
        as(reader).get().uri("/users?page=0&size=2&sort=name,desc").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.content[*].name").value(names -> assertThat((List<String>) names).containsExactly("Cleo", "Bea"))
                .jsonPath("$.page.size").isEqualTo(2)
                .jsonPath("$.page.number").isEqualTo(0)
                .jsonPath("$.page.totalElements").isEqualTo(3)
                .jsonPath("$.page.totalPages").isEqualTo(2);
        as(reader).get().uri("/users?page=1&size=2&sort=name").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.content[*].name").value(names -> assertThat((List<String>) names).containsExactly("Cleo"));
    }

    /** The names on every page of {@code query} ({@code size=2}, by name), each page with the exact total. */
    private List<String> namesOverEveryPage(String reader, String query, int total) {
        List<String> names = new java.util.ArrayList<>();
        int pages = (total + 1) / 2;
        for (int page = 0; page <= pages; page++) {
            as(reader).get().uri("/users?" + query + "&size=2&sort=name&page=" + page).exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.page.totalElements").isEqualTo(total)
                    .jsonPath("$.page.totalPages").isEqualTo(pages)
                    .jsonPath("$.content[*].name").value(List.class, onPage -> names.addAll(onPage));
        }
        return names;
    }

    @Test
    void pagesOfUsersAreFilteredOnNameAndIdWithExactTotals() {
        String ada = createUser("Ada", "ada@example.com");
        String adaline = createUser("Adaline", "adaline@example.com");
        String adam = createUser("Adam", "adam@example.com");
        createUser("ada lower", "lower@example.com");
        String bob = createUser("Bob", "bob@example.com");
        String gone = createUser("Adalbert", "adalbert@example.com");
        as(gone).delete().uri("/users/{id}", gone).exchange().expectStatus().isNoContent();

        assertThat(namesOverEveryPage(bob, "name=prefix.Ad", 3)).containsExactly("Ada", "Adaline", "Adam");
        assertThat(namesOverEveryPage(bob, "name=prefix.Ada&id=in." + ada + "," + adam + "," + gone + "," + bob, 2))
                .containsExactly("Ada", "Adam");
        assertThat(namesOverEveryPage(bob, "name=eq.Ada", 1)).containsExactly("Ada");
        assertThat(namesOverEveryPage(bob, "name=in.Bob,Adam,Nobody", 2)).containsExactly("Adam", "Bob");
        assertThat(namesOverEveryPage(bob, "id=eq." + adaline, 1)).containsExactly("Adaline");
        assertThat(namesOverEveryPage(bob, "id=" + adaline + "," + bob + "&name=prefix.B", 1)).containsExactly("Bob");
        assertThat(namesOverEveryPage(bob, "id=eq." + gone, 0)).as("a deleted user is in no page").isEmpty();
    }

    @Test
    void aFilterOnTheEmailIsRefusedAsAreBadFilters() {
        String reader = createUser("Ava", "ava@example.com");
        as(reader).get().uri("/users?email=eq.ava@example.com").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("email")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains("email", "filterable: name, id").doesNotContain("ava@"));
        for (String bad : List.of("name=gt.A", "name=Ava", "name=eq.", "name=eq." + "x".repeat(101), "name=like.A")) {
            expectProblem(as(reader).get().uri("/users?" + bad).exchange(), HttpStatus.BAD_REQUEST, "name");
        }
        for (String bad : List.of("id=gt." + reader, "id=in.", "id=eq.nope", "id=eq." + reader.toUpperCase(),
                "id=in." + String.join(",", java.util.Collections.nCopies(com.example.shop.web.filter.FilterParser.MAX_IDS + 1, reader)))) {
            expectProblem(as(reader).get().uri("/users?" + bad).exchange(), HttpStatus.BAD_REQUEST, "id");
        }
        expectProblem(as(reader).get().uri("/users?password=eq.x").exchange(), HttpStatus.BAD_REQUEST, "password");
        expectProblem(as(reader).get().uri("/users?ids={id}&name=eq.Ava", reader).exchange(), HttpStatus.BAD_REQUEST, "name");
        asService().get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/users'].get.parameters[?(@['x-filter'])].name")
                .value(List.class, names -> assertThat(names).containsExactly("name", "id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPageParameters")
    void rejectsBadPageParameters(String query, String field) {
        expectProblem(asService().get().uri("/users?" + query).exchange(), HttpStatus.BAD_REQUEST, field);
    }

    static Stream<Arguments> badPageParameters() {
        return Stream.of(
                Arguments.of("size=101", "size"),
                Arguments.of("size=0", "size"),
                Arguments.of("page=-1", "page"),
                Arguments.of("page=abc", "page"),
                Arguments.of("sort=password", "sort"),
                Arguments.of("sort=name,sideways", "sort"),
                // only what every caller may see can order a page: email is hidden from other users
                Arguments.of("sort=email", "sort"),
                Arguments.of("sort=email,desc", "sort"),
                // plain decimal digits only, never hexadecimal, exponents or padding
                Arguments.of("page=0x10", "page"),
                Arguments.of("page=1e2", "page"),
                Arguments.of("page=0010", "page"),
                Arguments.of("page=99999999999", "page"));
    }

    @Test
    void sortingOnEmailIsRefusedNamingWhatIsSortable() {
        String reader = createUser("Ava", "ava@example.com");
        as(reader).get().uri("/users?sort=email").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("sortable: name"));
    }

    @Test
    void integerParametersTakePlainDecimalDigitsOnly() {
        // URI variables are encoded strictly: '+' and ' ' reach the service as they are written here
        for (String bad : List.of("+5", " 5", "5 ", "0x10", "#10", "-0", "1_0", "\u0665")) {
            expectProblem(asService().get().uri("/users?size={size}", bad).exchange(), HttpStatus.BAD_REQUEST, "size");
            expectProblem(asService().get().uri("/users?page={page}", bad).exchange(), HttpStatus.BAD_REQUEST, "page");
        }
        asService().get().uri("/users?page={page}&size={size}", "0", "5").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.page.size").isEqualTo(5);
        asService().get().uri("/users").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.page.size").isEqualTo(20);
        // given, a parameter must have a value: an empty one is not taken as "the default"
        expectProblem(asService().get().uri("/users?page=&size=5").exchange(), HttpStatus.BAD_REQUEST, "page");
        expectProblem(asService().get().uri("/users?page=0&size=").exchange(), HttpStatus.BAD_REQUEST, "size");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedQueries")
    void everyQueryParameterGivenBareEmptyTwiceOrGarbledIsA400NamingIt(String target, String parameter) {
        MalformedQueries.assertRefusedNaming(RawHttp.get(port, target,
                HttpHeaders.AUTHORIZATION + ": Bearer " + TestSecurity.serviceToken("product-service")), parameter);
    }

    /** Each query parameter user-service reads, in each malformed form ({@link MalformedQueries}). */
    static Stream<Arguments> malformedQueries() {
        String id = "65f0a1b2c3d4e5f60718293a";
        return Stream.of(
                MalformedQueries.of("/users", "page", "0", MalformedQueries.Kind.SINGLE),
                MalformedQueries.of("/users", "size", "5", MalformedQueries.Kind.SINGLE),
                MalformedQueries.of("/users", "sort", "name", MalformedQueries.Kind.REPEATABLE),
                Stream.of(Arguments.of("/users?sort=name&sort=name,desc", "sort")),
                MalformedQueries.of("/users", "ids", id, MalformedQueries.Kind.LIST),
                MalformedQueries.of("/users", "id", "in." + id, MalformedQueries.Kind.REPEATABLE),
                MalformedQueries.of("/users", "name", "eq." + "x".repeat(User.MAX_NAME), MalformedQueries.Kind.REPEATABLE),
                Stream.of(Arguments.of("/users?ids=" + id.toUpperCase(), "ids"),
                        Arguments.of("/users?ids=" + id + "," + id.toUpperCase(), "ids")))
                .flatMap(cases -> cases);
    }

    @Test
    void patchChangesOnlyGivenFields() {
        String id = createUser("Old", "old@example.com");
        as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", " New ")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("New").jsonPath("$.email").isEqualTo("old@example.com");
        as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "NEW@example.com")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("New").jsonPath("$.email").isEqualTo("new@example.com");
    }

    @Test
    void patchRejectsEmptyBodyTakenEmailAndUnknownUser() {
        String id = createUser("Me", "me@example.com");
        createUser("Other", "other@example.com");
        expectProblem(as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(),
                HttpStatus.BAD_REQUEST, "body");
        expectProblem(as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "other@example.com")).exchange(), HttpStatus.CONFLICT, "email");
        as(id).get().uri("/users/{id}", id).exchange().expectBody().jsonPath("$.email").isEqualTo("me@example.com");
        // a valid token of a user that does not exist (any more): the id is its own, so 404, not 403
        String unknown = new ObjectId().toHexString();
        as(unknown).patch().uri("/users/{id}", unknown).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "X")).exchange().expectStatus().isNotFound();
    }

    @Test
    void deleteRemovesTheUser() {
        String id = createUser("Gone", "gone@example.com");
        as(id).delete().uri("/users/{id}", id).exchange().expectStatus().isNoContent();
        as(id).get().uri("/users/{id}", id).exchange().expectStatus().isNotFound();
        as(id).delete().uri("/users/{id}", id).exchange().expectStatus().isNotFound();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUserBodies")
    void rejectsInvalidUserBodiesAndWritesNothing(String description, String body, String field) {
        expectProblem(web.post().uri("/users").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(),
                HttpStatus.BAD_REQUEST, field);
        assertThat(userCount()).isZero();
    }

    static Stream<Arguments> invalidUserBodies() {
        // each body is valid but for the one thing its description names
        String pw = ",\"password\":\"" + PASSWORD + "\"";
        return Stream.of(
                Arguments.of("blank name", "{\"name\":\"   \",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("name too long", "{\"name\":\"" + "n".repeat(101) + "\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("missing name", "{\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("name not a string", "{\"name\":42,\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("invalid email", "{\"name\":\"A\",\"email\":\"not-an-email\"" + pw + "}", "email"),
                Arguments.of("email without domain dot", "{\"name\":\"A\",\"email\":\"a@localhost\"" + pw + "}", "email"),
                Arguments.of("email too long", "{\"name\":\"A\",\"email\":\"" + "e".repeat(250) + "@x.io\"" + pw + "}", "email"),
                Arguments.of("missing email", "{\"name\":\"A\"" + pw + "}", "email"),
                Arguments.of("missing password", "{\"name\":\"A\",\"email\":\"a@example.com\"}", "password"),
                Arguments.of("null password", "{\"name\":\"A\",\"email\":\"a@example.com\",\"password\":null}", "password"),
                Arguments.of("password of 7 characters", "{\"name\":\"A\",\"email\":\"a@example.com\",\"password\":\"1234567\"}", "password"),
                Arguments.of("password of 129 characters", "{\"name\":\"A\",\"email\":\"a@example.com\",\"password\":\"" + "p".repeat(129) + "\"}", "password"),
                Arguments.of("password not a string", "{\"name\":\"A\",\"email\":\"a@example.com\",\"password\":12345678}", "password"),
                Arguments.of("unknown field", "{\"name\":\"A\",\"email\":\"a@example.com\"" + pw + ",\"admin\":true}", "admin"),
                Arguments.of("$-prefixed field", "{\"name\":\"A\",\"email\":\"a@example.com\"" + pw + ",\"$where\":\"1\"}", "$where"),
                Arguments.of("operator as value", "{\"name\":{\"$ne\":null},\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("malformed JSON", "{\"name\":\"A\",", "body"),
                Arguments.of("duplicate key", "{\"name\":\"A\",\"name\":\"B\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("array body", "[]", "body"),
                Arguments.of("trailing garbage", "{\"name\":\"A\",\"email\":\"a@example.com\"" + pw + "} x", "body"),
                // canonical text: no control or format characters, no lone surrogates, ASCII emails
                Arguments.of("NUL in name", "{\"name\":\"A\\u0000B\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("lone surrogate in name", "{\"name\":\"A\\uD800\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("reversed surrogate pair in name", "{\"name\":\"A\\uDE00\\uD83D\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("bidi override in name", "{\"name\":\"A\u202EB\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("newline in name", "{\"name\":\"A\\nB\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("zero-width space in email", "{\"name\":\"A\",\"email\":\"a\u200B@example.com\"" + pw + "}", "email"),
                Arguments.of("zero-width joiner in email", "{\"name\":\"A\",\"email\":\"a\u200D@example.com\"" + pw + "}", "email"),
                Arguments.of("BOM in email", "{\"name\":\"A\",\"email\":\"\uFEFFa@example.com\"" + pw + "}", "email"),
                Arguments.of("NUL in email", "{\"name\":\"A\",\"email\":\"a\\u0000@example.com\"" + pw + "}", "email"),
                Arguments.of("lone surrogate in email", "{\"name\":\"A\",\"email\":\"a\\uDC00@example.com\"" + pw + "}", "email"),
                Arguments.of("Cyrillic a in email", "{\"name\":\"A\",\"email\":\"\u0430da@example.com\"" + pw + "}", "email"),
                Arguments.of("Greek omicron in email domain", "{\"name\":\"A\",\"email\":\"ada@examp\u03BFle.com\"" + pw + "}", "email"),
                // a name needs a visible character; noncharacters nowhere
                Arguments.of("Hangul filler name", "{\"name\":\"\u3164\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("braille blank name", "{\"name\":\"\u2800\u2800\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("no-break space name", "{\"name\":\"\u00A0\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("halfwidth Hangul filler and ideographic space name",
                        "{\"name\":\"\uFFA0\u3000\u115F\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("variation selector name", "{\"name\":\"\uFE0F\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("noncharacter U+FFFF in name", "{\"name\":\"Ada\\uFFFF\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("noncharacter U+FDD0 in name", "{\"name\":\"Ada\\uFDD0\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                Arguments.of("noncharacter U+1FFFE in name", "{\"name\":\"Ada\\uD83F\\uDFFE\",\"email\":\"a@example.com\"" + pw + "}", "name"),
                // one spelling per mailbox: the other RFC 5322 forms are refused
                Arguments.of("quoted local part", "{\"name\":\"A\",\"email\":\"\\\"alice.x\\\"@example.com\"" + pw + "}", "email"),
                Arguments.of("comment in email", "{\"name\":\"A\",\"email\":\"alice(work)@example.com\"" + pw + "}", "email"),
                Arguments.of("domain literal", "{\"name\":\"A\",\"email\":\"alice@[192.0.2.1]\"" + pw + "}", "email"),
                Arguments.of("address as domain", "{\"name\":\"A\",\"email\":\"alice@192.0.2.1\"" + pw + "}", "email"),
                Arguments.of("trailing dot in domain", "{\"name\":\"A\",\"email\":\"alice@example.com.\"" + pw + "}", "email"),
                Arguments.of("consecutive dots", "{\"name\":\"A\",\"email\":\"alice..x@example.com\"" + pw + "}", "email"));
    }

    @Test
    void aFullwidthVariantOfARegisteredEmailIsTheSameAccount() {
        String ada = createUser("Ada", "ada@example.com");
        // NFKC folds fullwidth forms (and other compatibility variants) to the plain letters
        expectProblem(web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ada 2", "email", "\uFF41\uFF44\uFF41@\uFF45xample.com", "password", PASSWORD))
                .exchange(), HttpStatus.CONFLICT, "email");
        expectProblem(web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ada 3", "email", "\uFF21DA@EXAMPLE.COM", "password", PASSWORD))
                .exchange(), HttpStatus.CONFLICT, "email");
        assertThat(userCount()).isEqualTo(1);
        String other = createUser("Other", "other@example.com");
        expectProblem(as(other).patch().uri("/users/{id}", other).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "\uFF41da@example.com")).exchange(), HttpStatus.CONFLICT, "email");
        // a compatibility form that is not taken is stored in its canonical form
        as(other).patch().uri("/users/{id}", other).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "\uFF4Ftto@example.com")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.email").isEqualTo("otto@example.com");
        as(ada).get().uri("/users/{id}", ada).exchange().expectBody().jsonPath("$.email").isEqualTo("ada@example.com");
    }

    @Test
    void aQuotedLocalPartIsNoSecondAccountForTheSameMailbox() {
        createUser("Alice", "alice.x@example.com");
        for (String spelling : List.of("\"alice.x\"@example.com", "\"alice\".x@example.com", "alice.x(home)@example.com",
                "alice.x@example.com.", "\"ALICE.X\"@EXAMPLE.COM")) {
            expectProblem(web.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "Alice 2", "email", spelling, "password", PASSWORD)).exchange(),
                    HttpStatus.BAD_REQUEST, "email");
        }
        assertThat(userCount()).isEqualTo(1);
    }

    @Test
    void aPatchIsHeldToTheSameTextRules() {
        String id = createUser("Pat", "pat@example.com");
        expectProblem(as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"P\\u0000\"}").exchange(), HttpStatus.BAD_REQUEST, "name");
        expectProblem(as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"p\u200Bat@example.com\"}").exchange(), HttpStatus.BAD_REQUEST, "email");
        expectProblem(as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"\u3164\"}").exchange(), HttpStatus.BAD_REQUEST, "name");
        expectProblem(as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"\\uFFFF\"}").exchange(), HttpStatus.BAD_REQUEST, "name");
        expectProblem(as(id).patch().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":\"\\\"pat\\\"@example.com\"}").exchange(), HttpStatus.BAD_REQUEST, "email");
        as(id).get().uri("/users/{id}", id).exchange().expectBody()
                .jsonPath("$.name").isEqualTo("Pat").jsonPath("$.email").isEqualTo("pat@example.com");
    }

    @Test
    void rejectsMissingBody() {
        web.post().uri("/users").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(userCount()).isZero();
    }

    @Test
    void rejectsBodiesOver64KiBWith413() {
        String big = "{\"name\":\"A\",\"email\":\"a@example.com\",\"x\":\"" + "x".repeat(70 * 1024) + "\"}";
        web.post().uri("/users").contentType(MediaType.APPLICATION_JSON).bodyValue(big).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(413);
        assertThat(userCount()).isZero();
    }

    @Test
    void rejectsWrongMediaType() {
        web.post().uri("/users").contentType(MediaType.TEXT_PLAIN).bodyValue("name=A").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    // ---- carts

    @Test
    void addingTheSameProductTwiceIncrementsOneLine() {
        String user = createUser("Cart", "cart@example.com");
        String p1 = new ObjectId().toHexString();
        String p2 = new ObjectId().toHexString();
        addItem(user, "\"" + p1 + "\"", 2).expectStatus().isOk();
        addItem(user, "\"" + p2 + "\"", 1).expectStatus().isOk();
        addItem(user, "\"" + p1 + "\"", 3).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].productId").isEqualTo(p1)
                .jsonPath("$.items[0].quantity").isEqualTo(5)
                .jsonPath("$.items[1].productId").isEqualTo(p2)
                .jsonPath("$.items[1].quantity").isEqualTo(1);
        as(user).get().uri("/users/{id}/cart", user).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].quantity").isEqualTo(5);
        as(user).get().uri("/users/{id}", user).exchange()
                .expectBody().jsonPath("$.cart.items.length()").isEqualTo(2);
    }

    @Test
    void aPopulatedProductGivenAsProductIdIsStoredAsItsId() {
        String user = createUser("Pop", "pop@example.com");
        String product = new ObjectId().toHexString();
        addItem(user, "{\"id\":\"" + product + "\",\"title\":\"Book\",\"price\":12.5}", 1)
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].productId").isEqualTo(product);
        StepVerifier.create(mongo.findById(new ObjectId(user), User.class))
                .assertNext(u -> assertThat(u.cart().items().get(0).productId()).isEqualTo(new ObjectId(product)))
                .verifyComplete();
    }

    @Test
    void setQuantityUpdatesCreatesAndZeroRemoves() {
        String user = createUser("Set", "set@example.com");
        String product = new ObjectId().toHexString();
        setQuantity(user, product, 7).expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].quantity").isEqualTo(7);
        setQuantity(user, product, 1000).expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].quantity").isEqualTo(1000).jsonPath("$.items.length()").isEqualTo(1);
        setQuantity(user, product, 0).expectStatus().isOk()
                .expectBody().jsonPath("$.items").isEmpty();
    }

    @Test
    void removeLineAndClearCart() {
        String user = createUser("Rm", "rm@example.com");
        String p1 = new ObjectId().toHexString();
        String p2 = new ObjectId().toHexString();
        addItem(user, "\"" + p1 + "\"", 1).expectStatus().isOk();
        addItem(user, "\"" + p2 + "\"", 1).expectStatus().isOk();
        as(user).delete().uri("/users/{u}/cart/items/{p}", user, p1).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].productId").isEqualTo(p2);
        as(user).delete().uri("/users/{u}/cart", user).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items").isEmpty();
    }

    @Test
    void aLineNeverPasses1000AndARejectedAddChangesNothing() {
        String user = createUser("Max", "max@example.com");
        String product = new ObjectId().toHexString();
        addItem(user, "\"" + product + "\"", 600).expectStatus().isOk();
        expectProblem(addItem(user, "\"" + product + "\"", 401), HttpStatus.UNPROCESSABLE_CONTENT, "quantity");
        addItem(user, "\"" + product + "\"", 400).expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].quantity").isEqualTo(1000);
        expectProblem(addItem(user, "\"" + product + "\"", 1), HttpStatus.UNPROCESSABLE_CONTENT, "quantity");
        as(user).get().uri("/users/{id}/cart", user).exchange().expectBody().jsonPath("$.items[0].quantity").isEqualTo(1000);
    }

    @Test
    void aCartHoldsAtMost200LinesAndARejectedAddChangesNothing() {
        String user = createUser("Full", "full@example.com");
        fillCart(user, 199);
        String last = new ObjectId().toHexString();
        addItem(user, "\"" + last + "\"", 1).expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(200);
        String oneTooMany = new ObjectId().toHexString();
        expectProblem(addItem(user, "\"" + oneTooMany + "\"", 1), HttpStatus.UNPROCESSABLE_CONTENT, "productId");
        addItem(user, "\"" + oneTooMany + "\"", 1).expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("200"));
        expectProblem(setQuantity(user, oneTooMany, 3), HttpStatus.UNPROCESSABLE_CONTENT, "productId");
        // a line already in the cart still grows, and one removed makes room again
        addItem(user, "\"" + last + "\"", 2).expectStatus().isOk()
                .expectBody().jsonPath("$.items[199].quantity").isEqualTo(3);
        as(user).delete().uri("/users/{u}/cart/items/{p}", user, last).exchange().expectStatus().isOk();
        setQuantity(user, oneTooMany, 3).expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(200);
        StepVerifier.create(mongo.findById(new ObjectId(user), User.class))
                .assertNext(u -> assertThat(u.cart().items()).hasSize(200)
                        .noneMatch(item -> item.productId().toHexString().equals(last)))
                .verifyComplete();
    }

    @Test
    void concurrentAddsOfDistinctProductsNeverPass200Lines() {
        String user = createUser("Race", "race-cart@example.com");
        fillCart(user, 195);
        addItem(user, "\"" + new ObjectId().toHexString() + "\"", 1).expectStatus().isOk(); // warm-up, line 196
        WebClient client = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(user)).build();
        List<Integer> statuses = Flux.range(0, 20)
                .flatMap(i -> client.post().uri("/users/{id}/cart/items", user).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("productId", new ObjectId().toHexString(), "quantity", 1))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), 20)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(20).containsOnly(200, 422);
        assertThat(statuses).filteredOn(status -> status == 200).hasSize(4);
        StepVerifier.create(mongo.findById(new ObjectId(user), User.class))
                .assertNext(u -> assertThat(u.cart().items()).hasSize(200))
                .verifyComplete();
    }

    /** Puts {@code lines} distinct products in the user's cart, straight into the store. */
    void fillCart(String user, int lines) {
        List<com.example.shop.user.user.domain.CartItem> items = Stream.generate(
                () -> new com.example.shop.user.user.domain.CartItem(new ObjectId(), 1)).limit(lines).toList();
        StepVerifier.create(mongo.updateFirst(
                        org.springframework.data.mongodb.core.query.Query.query(
                                org.springframework.data.mongodb.core.query.Criteria.where("_id").is(new ObjectId(user))),
                        new org.springframework.data.mongodb.core.query.Update().set("cart.items", items), User.class))
                .assertNext(result -> assertThat(result.getModifiedCount()).isEqualTo(1))
                .verifyComplete();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCartBodies")
    void rejectsInvalidCartItemsAndChangesNothing(String description, String body, String field) {
        String user = createUser("Bad", "bad@example.com");
        expectProblem(as(user).post().uri("/users/{id}/cart/items", user).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange(), HttpStatus.BAD_REQUEST, field);
        as(user).get().uri("/users/{id}/cart", user).exchange().expectBody().jsonPath("$.items").isEmpty();
    }

    static Stream<Arguments> invalidCartBodies() {
        String p = new ObjectId().toHexString();
        return Stream.of(
                Arguments.of("quantity 0", "{\"productId\":\"" + p + "\",\"quantity\":0}", "quantity"),
                Arguments.of("quantity 1001", "{\"productId\":\"" + p + "\",\"quantity\":1001}", "quantity"),
                Arguments.of("quantity negative", "{\"productId\":\"" + p + "\",\"quantity\":-3}", "quantity"),
                Arguments.of("quantity fractional", "{\"productId\":\"" + p + "\",\"quantity\":1.5}", "quantity"),
                Arguments.of("quantity as string", "{\"productId\":\"" + p + "\",\"quantity\":\"5\"}", "quantity"),
                Arguments.of("quantity missing", "{\"productId\":\"" + p + "\"}", "quantity"),
                Arguments.of("productId malformed", "{\"productId\":\"123\",\"quantity\":1}", "productId"),
                Arguments.of("productId missing", "{\"quantity\":1}", "productId"),
                Arguments.of("productId object without id", "{\"productId\":{\"title\":\"x\"},\"quantity\":1}", "productId"),
                Arguments.of("productId a number", "{\"productId\":5,\"quantity\":1}", "productId"),
                Arguments.of("unknown field", "{\"productId\":\"" + p + "\",\"quantity\":1,\"price\":1}", "price"));
    }

    @Test
    void setRejectsOutOfRangeQuantity() {
        String user = createUser("Range", "range@example.com");
        String product = new ObjectId().toHexString();
        expectProblem(setQuantity(user, product, -1), HttpStatus.BAD_REQUEST, "quantity");
        expectProblem(setQuantity(user, product, 1001), HttpStatus.BAD_REQUEST, "quantity");
        expectProblem(as(user).put().uri("/users/{u}/cart/items/{p}", user, "nope").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"quantity\":1}").exchange(), HttpStatus.BAD_REQUEST, "productId");
    }

    @Test
    void cartOfUnknownUserIs404() {
        String nobody = new ObjectId().toHexString();
        as(nobody).get().uri("/users/{id}/cart", nobody).exchange().expectStatus().isNotFound();
        addItem(nobody, "\"" + new ObjectId().toHexString() + "\"", 1).expectStatus().isNotFound();
        as(nobody).delete().uri("/users/{id}/cart", nobody).exchange().expectStatus().isNotFound();
    }

    @Test
    void hundredConcurrentAddsOfOneEndAtExactlyHundred() {
        String user = createUser("Busy", "busy@example.com");
        String product = new ObjectId().toHexString();
        // warm up the path to product-service: a JVM's first calls are slow, and 100 cold ones at once
        // would trip the time limiter (and the circuit breaker), which is not what this test is about
        addItem(user, "\"" + new ObjectId().toHexString() + "\"", 1).expectStatus().isOk();
        WebClient client = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TestSecurity.userToken(user)).build();
        List<Integer> statuses = Flux.range(0, 100)
                .flatMap(i -> client.post().uri("/users/{id}/cart/items", user).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("productId", product, "quantity", 1))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())), 100)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(100).containsOnly(200);
        as(user).get().uri("/users/{id}/cart", user).exchange().expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[?(@.productId == '" + product + "')].quantity").isEqualTo(List.of(100));
    }

    // ---- calls to product-service

    @Test
    void addingAProductThatDoesNotExistIs422AndChangesNothing() {
        String user = createUser("Ref", "ref@example.com");
        String missing = new ObjectId().toHexString();
        productService.stubFor(get(urlPathEqualTo("/products/" + missing)).willReturn(aResponse().withStatus(404)));
        expectProblem(addItem(user, "\"" + missing + "\"", 1), HttpStatus.UNPROCESSABLE_CONTENT, "productId");
        expectProblem(setQuantity(user, missing, 2), HttpStatus.UNPROCESSABLE_CONTENT, "productId");
        as(user).get().uri("/users/{id}/cart", user).exchange().expectBody().jsonPath("$.items").isEmpty();
        productService.verify(getRequestedFor(urlPathEqualTo("/products/" + missing))
                .withHeader(HttpHeaders.AUTHORIZATION, matching("Bearer .+")));
    }

    @Test
    void callsToProductServiceCarryUserServicesServiceCredential() {
        String user = createUser("Cred", "cred@example.com");
        String product = new ObjectId().toHexString();
        addItem(user, "\"" + product + "\"", 1).expectStatus().isOk();
        List<LoggedRequest> calls = productService.findAll(getRequestedFor(urlPathEqualTo("/products/" + product)));
        assertThat(calls).isNotEmpty();
        String authorization = calls.get(0).getHeader(HttpHeaders.AUTHORIZATION);
        assertThat(authorization).startsWith("Bearer ");
        // user-service's own service token (its key, issuer and name), never the user's own access token
        assertThat(TestSecurity.verifyServiceToken("user-service", authorization.substring("Bearer ".length())).getSubject())
                .isEqualTo("user-service");
    }

    @Test
    void productServiceFailingOrDownIs503NamingItAndChangesNothing() {
        String user = createUser("Down", "down@example.com");
        String product = new ObjectId().toHexString();
        productService.stubFor(get(urlPathEqualTo("/products/" + product)).willReturn(aResponse().withStatus(500)));
        expectServiceUnavailable(addItem(user, "\"" + product + "\"", 1));
        productService.stubFor(get(urlPathEqualTo("/products/" + product)).willReturn(aResponse().withFault(CONNECTION_RESET_BY_PEER)));
        expectServiceUnavailable(addItem(user, "\"" + product + "\"", 1));
        as(user).get().uri("/users/{id}/cart", user).exchange().expectBody().jsonPath("$.items").isEmpty();
    }

    @Test
    void slowProductServiceIs503() {
        String user = createUser("Slow", "slow@example.com");
        String product = new ObjectId().toHexString();
        productService.stubFor(get(urlPathEqualTo("/products/" + product))
                .willReturn(aResponse().withFixedDelay(3_000).withBody("{}")));
        expectServiceUnavailable(addItem(user, "\"" + product + "\"", 1));
        as(user).get().uri("/users/{id}/cart", user).exchange().expectBody().jsonPath("$.items").isEmpty();
    }

    @Test
    void removingADeletedProductEverywhereTakesItOutOfEveryCart() {
        String deleted = new ObjectId().toHexString();
        String kept = new ObjectId().toHexString();
        String u1 = createUser("U1", "u1@example.com");
        String u2 = createUser("U2", "u2@example.com");
        String u3 = createUser("U3", "u3@example.com");
        addItem(u1, "\"" + deleted + "\"", 1).expectStatus().isOk();
        addItem(u1, "\"" + kept + "\"", 1).expectStatus().isOk();
        addItem(u2, "\"" + deleted + "\"", 4).expectStatus().isOk();
        addItem(u3, "\"" + kept + "\"", 1).expectStatus().isOk();
        asService().delete().uri("/internal/carts/items/{p}", deleted).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.cartsChanged").isEqualTo(2);
        as(u1).get().uri("/users/{id}/cart", u1).exchange().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].productId").isEqualTo(kept);
        as(u2).get().uri("/users/{id}/cart", u2).exchange().expectBody().jsonPath("$.items").isEmpty();
        as(u3).get().uri("/users/{id}/cart", u3).exchange().expectBody().jsonPath("$.items.length()").isEqualTo(1);
        asService().delete().uri("/internal/carts/items/{p}", deleted).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.cartsChanged").isEqualTo(0);
    }

    // ---- operations

    @Test
    void healthTellsTheStoreIsUp() {
        // the health endpoint itself (served on the management port; ManagementPortTest covers the HTTP side)
        assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
        assertThat(health.healthForPath("mongo").getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void unknownPathIsProblem404() {
        asService().get().uri("/nothing-here").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    // ---- helpers

    WebTestClient.ResponseSpec addItem(String user, String productIdJson, int quantity) {
        return as(user).post().uri("/users/{id}/cart/items", user).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"productId\":" + productIdJson + ",\"quantity\":" + quantity + "}").exchange();
    }

    WebTestClient.ResponseSpec setQuantity(String user, String product, int quantity) {
        return as(user).put().uri("/users/{u}/cart/items/{p}", user, product).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"quantity\":" + quantity + "}").exchange();
    }

    static void expectServiceUnavailable(WebTestClient.ResponseSpec response) {
        response.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("product-service"));
    }
}
