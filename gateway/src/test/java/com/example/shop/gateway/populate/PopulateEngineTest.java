package com.example.shop.gateway.populate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.shop.gateway.api.ShopApi;

import static org.assertj.core.api.Assertions.assertThat;

class PopulateEngineTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Planner planner = new Planner(ShopApi.resources(), 3);

    private final Store users = new Store();

    private final Store products = new Store();

    /** Documents by id, and every call it was asked; behaviour replaceable per test. */
    private static final class Store implements DocumentFetcher {

        final Map<String, JsonNode> documents = new HashMap<>();

        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        Function<List<String>, Mono<List<JsonNode>>> behaviour = this::answer;

        Mono<List<JsonNode>> answer(List<String> ids) {
            return Mono.fromSupplier(() -> ids.stream().filter(documents::containsKey).map(documents::get).toList());
        }

        @Override
        public Mono<List<JsonNode>> fetch(List<String> ids) {
            calls.add(ids);
            return behaviour.apply(ids);
        }

        void add(String json) {
            JsonNode doc = json(json);
            documents.put(doc.get("id").stringValue(), doc);
        }
    }

    /** Lists of products by owner, from {@link #products}' documents, as product-service's /products/owned answers. */
    private final class Lists implements ListFetcher {

        final List<List<String>> calls = new CopyOnWriteArrayList<>();

        Function<List<String>, Mono<Map<String, JsonNode>>> failure;

        @Override
        public Mono<Map<String, JsonNode>> fetch(String field, List<String> ids, ListOptions options) {
            calls.add(ids);
            if (failure != null) {
                return failure.apply(ids);
            }
            return Mono.fromSupplier(() -> {
                Map<String, JsonNode> lists = new HashMap<>();
                for (String id : ids) {
                    List<JsonNode> owned = products.documents.values().stream()
                            .filter(document -> id.equals(document.path(field).stringValue(null)))
                            .sorted(order(options))
                            .toList();
                    lists.put(id, options.count() ? JSON.getNodeFactory().numberNode(owned.size())
                            : JSON.getNodeFactory().arrayNode().addAll(owned.subList(0, Math.min(owned.size(), options.limit()))));
                }
                return lists;
            });
        }

        private static Comparator<JsonNode> order(ListOptions options) {
            Comparator<JsonNode> order = (a, b) -> 0;
            for (ListOptions.SortKey key : options.sort()) {
                Comparator<JsonNode> byKey = Comparator.comparingDouble(document -> document.path(key.field()).asDouble());
                order = order.thenComparing(key.descending() ? byKey.reversed() : byKey);
            }
            return order.thenComparing(document -> document.get("id").stringValue());
        }
    }

    private final Lists lists = new Lists();

    private static String id(String prefix, int n) {
        return prefix + "0".repeat(24 - prefix.length() - String.valueOf(n).length()) + n;
    }

    private static final String U1 = id("a", 1);

    private static final String U2 = id("a", 2);

    private static final String P1 = id("b", 1);

    private static final String P2 = id("b", 2);

    private static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private PopulateEngine engine(Duration budget, Scheduler timer) {
        return new PopulateEngine(Map.of("user", users, "product", products), Map.of("product", lists), 100, 4, budget,
                ShopApi::isId, timer)
                .requireFetchersFor(ShopApi.resources());
    }

    private PopulateResult populate(String resource, Shape shape, String body, String... populate) {
        PopulatePlan plan = planner.plan(resource, PopulateSpecParser.parse(List.of(populate)));
        return engine(Duration.ofSeconds(5), Schedulers.parallel()).populate(json(body), shape, plan).block();
    }

    private void givenUsersAndProducts() {
        users.add("{'id':'" + U1 + "','name':'Ada','email':'ada@example.com','cart':{'items':[{'productId':'" + P1
                + "','quantity':1},{'productId':'" + P2 + "','quantity':2}]}}");
        users.add("{'id':'" + U2 + "','name':'Bob','email':'bob@example.com','cart':{'items':[]}}");
        products.add("{'id':'" + P1 + "','title':'Lamp','price':19.90,'userId':'" + U1 + "'}");
        products.add("{'id':'" + P2 + "','title':'Desk','price':120,'userId':'" + U2 + "'}");
    }

    @Test
    void whatTheBackendLeavesOutIsNeitherShownNorFollowed() {
        // user-service's public view of Ada (the caller is someone else): no email, no cart
        users.add("{'id':'" + U1 + "','name':'Ada'}");
        products.add("{'id':'" + P1 + "','title':'Lamp','price':19.90,'userId':'" + U1 + "'}");
        PopulatePlan plan = planner.plan("product", PopulateSpecParser.parse(List.of("userId.cart.items.productId")));

        PopulateResult result = engine(Duration.ofSeconds(5), Schedulers.parallel())
                .populate(json("{'id':'" + P1 + "','userId':'" + U1 + "'}"), Shape.ITEM, plan).block();

        assertThat(result.body().get("userId").propertyNames()).containsExactlyInAnyOrder("id", "name");
        assertThat(result.unresolved()).isEmpty();
        assertThat(products.calls).as("no cart, nothing to look up in it").isEmpty();
    }

    @Test
    void aProductsOwnerIdBecomesTheOwner() {
        givenUsersAndProducts();

        PopulateResult result = populate("product", Shape.ITEM, "{'id':'" + P1 + "','userId':'" + U1 + "'}", "userId");

        assertThat(result.body().get("userId").get("name").stringValue()).isEqualTo("Ada");
        assertThat(result.unresolved()).isEmpty();
        assertThat(users.calls).containsExactly(List.of(U1));
    }

    @Test
    void aPageOfFiftyProductsWithFiftyOwnersCostsOneCallAndFetchesEachOwnerOnce() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            users.add("{'id':'" + id("a", i) + "','name':'user " + i + "'}");
            items.add("{'id':'" + id("b", i) + "','userId':'" + id("a", i) + "'}");
        }
        items.add("{'id':'" + id("b", 99) + "','userId':'" + id("a", 7) + "'}");
        String page = "{'content':[" + String.join(",", items) + "],'page':{'size':51,'number':0,'totalElements':51,'totalPages':1}}";

        PopulateResult result = populate("product", Shape.COLLECTION, page, "userId");

        assertThat(users.calls).hasSize(1);
        assertThat(users.calls.get(0)).hasSize(50).doesNotHaveDuplicates();
        assertThat(result.body().get("content").get(50).get("userId").get("name").stringValue()).isEqualTo("user 7");
        assertThat(result.body().get("page").get("totalElements").asInt()).isEqualTo(51);
    }

    @Test
    void anArrayOfDocumentsIsPopulatedToo() {
        givenUsersAndProducts();

        PopulateResult result = populate("product", Shape.COLLECTION,
                "[{'id':'" + P1 + "','userId':'" + U1 + "'},{'id':'" + P2 + "','userId':'" + U2 + "'}]", "userId");

        assertThat(result.body().findValuesAsString("name")).containsExactly("Ada", "Bob");
        assertThat(users.calls).hasSize(1);
    }

    @Test
    void aMissingDocumentBecomesNull() {
        givenUsersAndProducts();
        String ghost = id("c", 1);

        PopulateResult result = populate("cart", Shape.ITEM,
                "{'items':[{'productId':'" + ghost + "','quantity':1},{'productId':'" + P1 + "','quantity':1}]}",
                "items.productId");

        assertThat(result.body().get("items").get(0).get("productId").isNull()).isTrue();
        assertThat(result.body().get("items").get(1).get("productId").get("title").stringValue()).isEqualTo("Lamp");
        assertThat(result.unresolved()).isEmpty();
    }

    @Test
    void nestedLevelsCostOneCallEachAndNeverFetchAnIdTwice() {
        givenUsersAndProducts();

        PopulateResult result = populate("product", Shape.ITEM, "{'id':'" + P1 + "','userId':'" + U1 + "'}",
                "userId.cart.items.productId.userId");

        JsonNode items = result.body().get("userId").get("cart").get("items");
        assertThat(items.get(0).get("productId").get("userId").get("name").stringValue()).isEqualTo("Ada");
        assertThat(items.get(1).get("productId").get("userId").get("name").stringValue()).isEqualTo("Bob");
        assertThat(users.calls).containsExactly(List.of(U1), List.of(U2));
        assertThat(products.calls).containsExactly(List.of(P1, P2));
    }

    @Test
    void aSelectionKeepsOnlyTheNamedFieldsAndTheId() {
        givenUsersAndProducts();

        PopulateResult result = populate("product", Shape.ITEM, "{'id':'" + P1 + "','userId':'" + U1 + "'}",
                "userId(name,email)");

        assertThat(result.body().get("userId").propertyNames()).containsExactlyInAnyOrder("id", "name", "email");
    }

    @Test
    void theSameDocumentInTwoPlacesIsTwoCopies() {
        givenUsersAndProducts();

        PopulateResult result = populate("product", Shape.COLLECTION,
                "[{'id':'x','userId':'" + U1 + "'},{'id':'y','userId':'" + U1 + "'}]", "userId.cart.items.productId");

        JsonNode first = result.body().get(0).get("userId");
        JsonNode second = result.body().get(1).get("userId");
        assertThat(first).isEqualTo(second).isNotSameAs(second);
        assertThat(first.get("cart").get("items").get(0).get("productId").get("title").stringValue()).isEqualTo("Lamp");
    }

    @Test
    void whenATargetFailsItsIdsStayIdsAndThePathIsUnresolved() {
        givenUsersAndProducts();
        users.behaviour = ids -> Mono.error(new IllegalStateException("user-service answered 500"));

        PopulateResult result = populate("user", Shape.ITEM, users.documents.get(U1).toString(),
                "cart.items.productId.userId");

        JsonNode items = result.body().get("cart").get("items");
        assertThat(items.get(0).get("productId").get("title").stringValue()).isEqualTo("Lamp");
        assertThat(items.get(0).get("productId").get("userId").stringValue()).isEqualTo(U1);
        assertThat(result.unresolved()).containsExactly("cart.items.productId.userId");
    }

    @Test
    void whenAPrefixFailsTheNestedPathsAreUnresolvedToo() {
        givenUsersAndProducts();
        products.behaviour = ids -> Mono.error(new IllegalStateException("down"));

        PopulateResult result = populate("user", Shape.ITEM, users.documents.get(U1).toString(),
                "cart.items.productId.userId");

        assertThat(result.body().get("cart").get("items").get(0).get("productId").stringValue()).isEqualTo(P1);
        assertThat(result.unresolved()).containsExactly("cart.items.productId", "cart.items.productId.userId");
        assertThat(users.calls).isEmpty();
    }

    @Test
    void moreIdsThanABatchAreFetchedInChunksSentTogether() {
        List<String> ids = IntStream.range(0, 250).mapToObj(i -> id("a", i)).toList();
        ids.forEach(id -> users.add("{'id':'" + id + "'}"));
        AtomicInteger started = new AtomicInteger();
        Sinks.Empty<Void> allStarted = Sinks.empty();
        users.behaviour = chunk -> {
            if (started.incrementAndGet() == 3) {
                allStarted.tryEmitEmpty();
            }
            return allStarted.asMono().then(users.answer(chunk));
        };
        String body = "[" + String.join(",", ids.stream().map(id -> "{'userId':'" + id + "'}").toList()) + "]";

        PopulateResult result = populate("product", Shape.COLLECTION, body, "userId");

        assertThat(users.calls).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(result.unresolved()).isEmpty();
        assertThat(result.body().findValues("userId")).allMatch(JsonNode::isObject);
    }

    @Test
    void manyChunksAreFetchedAtMostFourAtATime() {
        List<String> ids = IntStream.range(0, 1000).mapToObj(i -> id("a", i)).toList();
        ids.forEach(id -> users.add("{'id':'" + id + "'}"));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        users.behaviour = chunk -> Mono.fromRunnable(() -> most.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                .then(Mono.delay(Duration.ofMillis(20)))
                .then(Mono.fromRunnable(inFlight::decrementAndGet))
                .then(users.answer(chunk));
        String body = "[" + String.join(",", ids.stream().map(id -> "{'userId':'" + id + "'}").toList()) + "]";

        PopulateResult result = populate("product", Shape.COLLECTION, body, "userId");

        assertThat(users.calls).hasSize(10);
        assertThat(most).hasValue(4);
        assertThat(result.unresolved()).isEmpty();
        assertThat(result.body().findValues("userId")).allMatch(JsonNode::isObject);
    }

    @Test
    void aDeadlineTakenEarlierLeavesOnlyWhatIsLeftOfTheBudget() {
        givenUsersAndProducts();
        users.behaviour = ids -> Mono.never();
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        PopulatePlan plan = planner.plan("user", PopulateSpecParser.parse(List.of("cart.items.productId.userId")));
        PopulateEngine engine = engine(Duration.ofSeconds(2), clock);

        // the request arrives, and reading the backend's answer takes 1.5 s of the 2 s budget
        StepVerifier.withVirtualTime(() -> {
                    long deadline = engine.deadlineFromNow();
                    return Mono.delay(Duration.ofMillis(1500), clock).then(Mono.defer(() -> engine.populate(
                            users.documents.get(U1).deepCopy(), Shape.ITEM, plan, deadline)));
                }, () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(result -> assertThat(result.unresolved()).containsExactly("cart.items.productId.userId"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aFailedChunkLeavesOnlyItsOwnIdsUnresolved() {
        List<String> ids = IntStream.range(0, 150).mapToObj(i -> id("a", i)).toList();
        ids.forEach(id -> users.add("{'id':'" + id + "'}"));
        users.behaviour = chunk -> chunk.contains(ids.get(0)) ? Mono.error(new IllegalStateException("500"))
                : users.answer(chunk);
        String body = "[" + String.join(",", ids.stream().map(id -> "{'userId':'" + id + "'}").toList()) + "]";

        PopulateResult result = populate("product", Shape.COLLECTION, body, "userId");

        List<JsonNode> values = result.body().findValues("userId");
        assertThat(values.subList(0, 100)).allMatch(JsonNode::isString);
        assertThat(values.subList(100, 150)).allMatch(JsonNode::isObject);
        assertThat(result.unresolved()).containsExactly("userId");
    }

    @Test
    void whenTheBudgetIsSpentTheAnswerHasWhatArrivedAndNamesTheRest() {
        givenUsersAndProducts();
        users.behaviour = ids -> Mono.never();
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        PopulatePlan plan = planner.plan("user", PopulateSpecParser.parse(List.of("cart.items.productId.userId")));
        PopulateEngine engine = engine(Duration.ofSeconds(2), clock);

        StepVerifier.withVirtualTime(() -> engine.populate(users.documents.get(U1).deepCopy(), Shape.ITEM, plan),
                        () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2))
                .assertNext(result -> {
                    assertThat(result.body().get("cart").get("items").get(0).get("productId").get("title").stringValue())
                            .isEqualTo("Lamp");
                    assertThat(result.unresolved()).containsExactly("cart.items.productId.userId");
                })
                .verifyComplete();
    }

    @Test
    void aBodyOfAnotherShapeIsLeftAsItIs() {
        PopulateResult result = populate("product", Shape.COLLECTION, "{'id':'x','userId':'" + U1 + "'}", "userId");

        assertThat(result.body().get("userId").stringValue()).isEqualTo(U1);
        assertThat(users.calls).isEmpty();
    }

    /** {@code users} users a0..; user i owns i products (b<i>_<k>), priced k. */
    private String pageOfUsersOwning(int users) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            items.add("{'id':'" + id("a", i) + "','name':'user " + i + "'}");
            for (int k = 0; k < i; k++) {
                products.add("{'id':'" + id("b" + k + "f", i) + "','title':'t','price':" + k + ",'userId':'" + id("a", i) + "'}");
            }
        }
        return "{'content':[" + String.join(",", items) + "],'page':{'size':" + users + ",'number':0}}";
    }

    @Test
    void aPageOfTwentyUsersGetsEachUsersOwnTopTwoProductsInOneCall() {
        String page = pageOfUsersOwning(20);

        PopulateResult result = populate("user", Shape.COLLECTION, page, "products[sort=-price;limit=2]");

        assertThat(lists.calls).hasSize(1);
        assertThat(lists.calls.get(0)).hasSize(20).doesNotHaveDuplicates();
        JsonNode content = result.body().get("content");
        assertThat(content.get(0).get("products").isArray()).isTrue();
        assertThat(content.get(0).get("products").size()).as("user 0 owns nothing").isZero();
        assertThat(content.get(1).get("products").size()).isEqualTo(1);
        for (int i = 2; i < 20; i++) {
            JsonNode owned = content.get(i).get("products");
            assertThat(owned.size()).isEqualTo(2);
            assertThat(owned.get(0).get("price").asInt()).isEqualTo(i - 1);
            assertThat(owned.get(1).get("price").asInt()).isEqualTo(i - 2);
            String owner = id("a", i);
            assertThat(owned.values()).allSatisfy(product -> assertThat(product.get("userId").stringValue()).isEqualTo(owner));
        }
        assertThat(result.unresolved()).isEmpty();
    }

    @Test
    void countGivesTheNumberOfEachUsersProductsAndFetchesNone() {
        String page = pageOfUsersOwning(8);

        PopulateResult result = populate("user", Shape.COLLECTION, page, "products[count]");

        for (int i = 0; i < 8; i++) {
            assertThat(result.body().get("content").get(i).get("products").asInt()).isEqualTo(i);
        }
        assertThat(lists.calls).hasSize(1);
    }

    @Test
    void aListsSkippedDocumentsCountInTheSizeOfALookupForTheServiceReadsThemToo() {
        String page = pageOfUsersOwning(20);

        populate("user", Shape.COLLECTION, page, "products[skip=390;limit=10]");

        // 2,000 documents read per lookup at most: 5 users of 400 each, 4 lookups for 20 users
        assertThat(lists.calls).hasSize(20 * (390 + 10) / PopulateEngine.MAX_DOCUMENTS_PER_LOOKUP);
    }

    @Test
    void aPageOfAHundredUsersWithoutALimitIsFetchedInLookupsOfBoundedSize() {
        String page = pageOfUsersOwning(100);

        PopulateResult result = populate("user", Shape.COLLECTION, page, "products(title)");

        assertThat(lists.calls).hasSize(100 * ListOptions.MAX_LIMIT / PopulateEngine.MAX_DOCUMENTS_PER_LOOKUP);
        assertThat(result.body().get("content").get(99).get("products").size()).isEqualTo(99);
        assertThat(result.body().get("content").get(99).get("products").get(0).propertyNames())
                .containsExactlyInAnyOrder("id", "title");
    }

    @Test
    void theProductsOfAUserAreThenPopulatedWithTheirOwnersInOneMoreCall() {
        String page = pageOfUsersOwning(5);
        for (int i = 0; i < 5; i++) {
            users.add("{'id':'" + id("a", i) + "','name':'user " + i + "'}");
        }

        PopulateResult result = populate("user", Shape.COLLECTION, page, "products[limit=1],products.userId(name)");

        JsonNode owner = result.body().get("content").get(4).get("products").get(0).get("userId");
        assertThat(owner.get("name").stringValue()).isEqualTo("user 4");
        assertThat(users.calls).hasSize(1);
        assertThat(users.calls.get(0)).containsExactlyInAnyOrder(id("a", 1), id("a", 2), id("a", 3), id("a", 4));
    }

    @Test
    void aUserOfAProductGetsItsOwnProductsNestedUnderTheReference() {
        String page = pageOfUsersOwning(3);
        users.add("{'id':'" + id("a", 2) + "','name':'user 2'}");

        PopulateResult result = populate("product", Shape.ITEM, "{'id':'" + id("b0f", 2) + "','userId':'" + id("a", 2) + "'}",
                "userId.products[count]");

        assertThat(page).isNotEmpty();
        assertThat(result.body().get("userId").get("products").asInt()).isEqualTo(2);
    }

    @Test
    void whenTheListLookupFailsTheFieldIsLeftOutAndItsPathsAreUnresolved() {
        String page = pageOfUsersOwning(3);
        lists.failure = ids -> Mono.error(new IllegalStateException("product-service is down"));

        PopulateResult result = populate("user", Shape.COLLECTION, page, "products,products.userId");

        assertThat(result.body().get("content").get(2).has("products")).isFalse();
        assertThat(result.unresolved()).containsExactly("products", "products.userId");
        assertThat(users.calls).isEmpty();
    }

    private Mono<PopulateResult> populateWithin(AnswerBudget budget, String resource, Shape shape, String body,
            String... populate) {
        PopulatePlan plan = planner.plan(resource, PopulateSpecParser.parse(List.of(populate)));
        return engine(Duration.ofSeconds(5), Schedulers.parallel())
                .populate(json(body), shape, plan, engine(Duration.ofSeconds(5), Schedulers.parallel()).deadlineFromNow(),
                        budget);
    }

    /** A cart of {@code lines} lines, each a product of its own that the products store holds. */
    private String cartOf(int lines) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            products.add("{'id':'" + id("b", i) + "','title':'product " + i + "','price':1,'userId':'" + U1 + "'}");
            items.add("{'productId':'" + id("b", i) + "','quantity':1}");
        }
        return "{'items':[" + String.join(",", items) + "]}";
    }

    @Test
    void anArrayOfIdsBringingMoreDocumentsThanTheBudgetStopsTheRunBeforeTheyAreSplicedIn() {
        String cart = cartOf(5);
        AnswerBudget budget = new AnswerBudget(4, Long.MAX_VALUE, bytes -> true);

        StepVerifier.create(populateWithin(budget, "cart", Shape.ITEM, cart, "items.productId.userId"))
                .verifyErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(PopulateLimitException.class, over -> {
                    assertThat(over.limit()).isEqualTo(PopulateLimitException.Limit.DOCUMENTS);
                    assertThat(over.max()).isEqualTo(4);
                    assertThat(over.counted()).isEqualTo(5);
                }));
        assertThat(users.calls).as("the next level is never looked up").isEmpty();
    }

    @Test
    void aListCountsEachParentsCopyOfItsDocuments() {
        String page = pageOfUsersOwning(5);
        // 0 + 1 + 2 + 3 + 4 products in the five users' lists
        AnswerBudget exact = new AnswerBudget(10, Long.MAX_VALUE, bytes -> true);
        AnswerBudget tooFew = new AnswerBudget(9, Long.MAX_VALUE, bytes -> true);

        StepVerifier.create(populateWithin(exact, "user", Shape.COLLECTION, page, "products")).expectNextCount(1).verifyComplete();
        StepVerifier.create(populateWithin(tooFew, "user", Shape.COLLECTION, page, "products"))
                .verifyError(PopulateLimitException.class);
        assertThat(exact.documentsCounted()).isEqualTo(10);
    }

    @Test
    void theBytesCountedAreWhatTheAnswerAddsAndWhatItsTreesAndCopiesHold() {
        givenUsersAndProducts();
        String body = "{'id':'" + P1 + "','userId':'" + U1 + "'}";
        AnswerBudget budget = AnswerBudget.unlimited();

        PopulateResult result = populateWithin(budget, "product", Shape.ITEM, body, "userId(name)").block();

        JsonNode ada = users.documents.get(U1);
        long expected = JsonSize.of(json(body)).treeOverhead() + JsonSize.of(ada).treeOverhead()
                + JsonSize.of(result.body().get("userId")).asCopy();
        assertThat(budget.bytesCounted()).isEqualTo(expected);
        assertThat(budget.documentsCounted()).isEqualTo(1);
    }

    @Test
    void overTheBytesTheRunStopsWithTheBudgetsRefusal() {
        givenUsersAndProducts();
        AnswerBudget budget = new AnswerBudget(Long.MAX_VALUE, 100, bytes -> true);

        StepVerifier.create(populateWithin(budget, "product", Shape.ITEM, "{'id':'" + P1 + "','userId':'" + U1 + "'}",
                        "userId.cart.items.productId"))
                .verifyErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(PopulateLimitException.class,
                        over -> assertThat(over.limit()).isEqualTo(PopulateLimitException.Limit.BYTES)));
    }

    @Test
    void aLookupStoppedByTheBudgetEndsTheAnswerInsteadOfLeavingItsIdsUnresolved() {
        givenUsersAndProducts();
        users.behaviour = ids -> Mono.error(new IllegalStateException("lookup cut off", new MemoryRefusedException(4096)));

        StepVerifier.create(populateWithin(AnswerBudget.unlimited(), "product", Shape.ITEM,
                        "{'id':'" + P1 + "','userId':'" + U1 + "'}", "userId"))
                .verifyError(MemoryRefusedException.class);
    }

    @Test
    void theBudgetIsInTheRunsContextForTheFetchersToCountWhatTheyBring() {
        givenUsersAndProducts();
        AnswerBudget budget = AnswerBudget.unlimited();
        List<Object> seen = new CopyOnWriteArrayList<>();
        users.behaviour = ids -> Mono.deferContextual(context -> {
            seen.add(context.get(AnswerBudget.CONTEXT_KEY));
            return users.answer(ids);
        });

        populateWithin(budget, "product", Shape.ITEM, "{'id':'" + P1 + "','userId':'" + U1 + "'}", "userId").block();

        assertThat(seen).containsExactly(budget);
    }
}
