package com.example.shop.gateway.populate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterOperator;
import com.example.shop.web.filter.FilterableField;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lookups in flight shared between requests: what shares (the same resource, ids, options and viewer, at the same
 * time) and what does not, and what one sharer's cancellation, an error and the answers' budgets do to the others.
 * The backend is a fetcher whose calls the test answers when it chooses.
 */
class SharedLookupsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String VIEWER = "viewer";

    /** The viewer is whatever the request's context says ({@code Viewers} reads the caller from it). */
    private final SharedLookups shared = new SharedLookups(true,
            resource -> Mono.deferContextual(context -> Mono.just(context.getOrDefault(VIEWER, "anonymous"))));

    private final AtomicInteger sharedCount = new AtomicInteger();

    /** Every call the backend was asked, in order; each answered by the test through its sink. */
    private final List<Call> calls = new ArrayList<>();

    private static final class Call {

        final List<String> ids;

        final Sinks.One<List<JsonNode>> answer = Sinks.one();

        /** The viewer and the budget the call ran with. */
        String viewer;

        Optional<AnswerBudget> budget;

        boolean cancelled;

        Call(List<String> ids) {
            this.ids = ids;
        }
    }

    /** The backend: each call is answered when the test says, bringing {@code 100} bytes counted as they arrive. */
    private final DocumentFetcher backend = ids -> Mono.deferContextual(context -> {
        Call call = new Call(ids);
        call.viewer = context.getOrDefault(VIEWER, "anonymous");
        call.budget = context.getOrEmpty(AnswerBudget.CONTEXT_KEY);
        calls.add(call);
        return call.answer.asMono()
                .doOnNext(answer -> call.budget.ifPresent(budget -> budget.bytes(100)))
                .doOnCancel(() -> call.cancelled = true);
    });

    private final DocumentFetcher users = shared.documents("user", backend, sharedCount::incrementAndGet);

    private static List<JsonNode> documents(String... ids) {
        return Arrays.stream(ids).map(id -> (JsonNode) JSON.createObjectNode().put("id", id)).toList();
    }

    private static Mono<List<JsonNode>> as(String viewer, Mono<List<JsonNode>> lookup) {
        return lookup.contextWrite(context -> context.put(VIEWER, viewer));
    }

    private static Mono<List<JsonNode>> within(AnswerBudget budget, Mono<List<JsonNode>> lookup) {
        return lookup.contextWrite(context -> context.put(AnswerBudget.CONTEXT_KEY, budget));
    }

    @Test
    void identicalLookupsInFlightAtOnceMakeOneCallAndGetTheSameAnswer() {
        List<List<JsonNode>> answers = new ArrayList<>();
        users.fetch(List.of("a1", "a2")).subscribe(answers::add);
        users.fetch(List.of("a2", "a1")).subscribe(answers::add);
        users.fetch(List.of("a1", "a2")).subscribe(answers::add);

        assertThat(calls).hasSize(1);
        assertThat(sharedCount).hasValue(2);
        calls.get(0).answer.tryEmitValue(documents("a1", "a2"));

        assertThat(answers).hasSize(3).allSatisfy(answer -> assertThat(answer).isEqualTo(documents("a1", "a2")));
        assertThat(shared.inFlight()).as("the call's entry is gone once it ended").isZero();
    }

    @Test
    void aWritesLookupNeverJoinsOneInFlightNorIsJoined() {
        DocumentFetcher users = DocumentFetcher.freshOr(backend, this.users); // as PopulateConfiguration puts them together
        users.fetch(List.of("a1")).subscribe();
        users.fetch(List.of("a1")).contextWrite(context -> context.put(DocumentFetcher.FRESH_LOOKUPS, true)).subscribe();
        users.fetch(List.of("a1")).subscribe();

        assertThat(calls).as("the fresh lookup made its own call; the third joined the first").hasSize(2);
        assertThat(sharedCount).hasValue(1);
    }

    @Test
    void aLookupAfterTheCallEndedMakesACallOfItsOwn() {
        users.fetch(List.of("a1")).subscribe();
        calls.get(0).answer.tryEmitValue(documents("a1"));

        users.fetch(List.of("a1")).subscribe();

        assertThat(calls).as("nothing is kept: no answer cache").hasSize(2);
        assertThat(sharedCount).hasValue(0);
    }

    @Test
    void theEntryIsGoneBeforeTheAnswerIsDelivered() {
        List<Integer> inFlightWhenAnswered = new ArrayList<>();
        users.fetch(List.of("a1")).subscribe(answer -> inFlightWhenAnswered.add(shared.inFlight()));
        calls.get(0).answer.tryEmitValue(documents("a1"));

        assertThat(inFlightWhenAnswered).containsExactly(0);
    }

    @Test
    void aLookupAfterTheCallsInFlightAreForgottenMakesACallOfItsOwnAndTheWaitingOnesAreStillAnswered() {
        List<List<JsonNode>> answers = new ArrayList<>();
        users.fetch(List.of("a1")).subscribe(answers::add);

        shared.forgetInFlight();
        users.fetch(List.of("a1")).subscribe(answers::add);
        users.fetch(List.of("a1")).subscribe(answers::add);
        assertThat(calls).hasSize(2);
        calls.get(0).answer.tryEmitValue(documents("a1"));

        assertThat(answers).containsExactly(documents("a1"));
        assertThat(shared.inFlight()).as("the forgotten call's end leaves the new one in place").isEqualTo(1);
        calls.get(1).answer.tryEmitValue(documents("a1"));
        assertThat(answers).hasSize(3);
        assertThat(sharedCount).hasValue(1);
    }

    @Test
    void whenSharingIsOffTheFetchersAreTheirOwn() {
        SharedLookups off = new SharedLookups(false, resource -> Mono.just("anyone"));
        ListFetcher lists = (field, ids, options) -> Mono.empty();

        assertThat(off.documents("user", backend, sharedCount::incrementAndGet)).isSameAs(backend);
        assertThat(off.lists("product", lists, sharedCount::incrementAndGet)).isSameAs(lists);
    }

    @Test
    void lookupsOfOtherIdsOrOtherResourcesDoNotShare() {
        DocumentFetcher products = shared.documents("product", backend, sharedCount::incrementAndGet);
        users.fetch(List.of("a1", "a2")).subscribe();
        users.fetch(List.of("a1")).subscribe();
        users.fetch(List.of("a1", "a2", "a3")).subscribe();
        products.fetch(List.of("a1", "a2")).subscribe();

        assertThat(calls).hasSize(4);
        assertThat(sharedCount).hasValue(0);
    }

    @Test
    void differentViewersNeverShareAndEachCallRunsAsItsOwnViewer() {
        List<List<JsonNode>> ada = new ArrayList<>();
        List<List<JsonNode>> bob = new ArrayList<>();
        as("user:ada", users.fetch(List.of("a1"))).subscribe(ada::add);
        as("user:bob", users.fetch(List.of("a1"))).subscribe(bob::add);
        as("user:bob", users.fetch(List.of("a1"))).subscribe(bob::add);

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).viewer).isEqualTo("user:ada");
        assertThat(calls.get(1).viewer).isEqualTo("user:bob");
        calls.get(0).answer.tryEmitValue(List.of(JSON.createObjectNode().put("id", "a1").put("email", "ada@example.com")));
        calls.get(1).answer.tryEmitValue(List.of(JSON.createObjectNode().put("id", "a1")));

        assertThat(ada).singleElement().satisfies(answer -> assertThat(answer.get(0).has("email")).isTrue());
        assertThat(bob).hasSize(2).allSatisfy(answer -> assertThat(answer.get(0).has("email")).isFalse());
    }

    @Test
    void anErrorReachesEverySharerAndIsNotKept() {
        StepVerifier first = users.fetch(List.of("a1")).as(StepVerifier::create)
                .expectErrorMessage("backend down").verifyLater();
        StepVerifier second = users.fetch(List.of("a1")).as(StepVerifier::create)
                .expectErrorMessage("backend down").verifyLater();

        calls.get(0).answer.tryEmitError(new IllegalStateException("backend down"));

        first.verify();
        second.verify();
        assertThat(shared.inFlight()).isZero();
        users.fetch(List.of("a1")).subscribe();
        assertThat(calls).as("the next lookup calls again").hasSize(2);
    }

    @Test
    void aSharerThatCancelsLeavesTheCallToTheOthers() {
        List<List<JsonNode>> answers = new ArrayList<>();
        Disposable first = users.fetch(List.of("a1")).subscribe(answers::add);
        users.fetch(List.of("a1")).subscribe(answers::add);

        first.dispose();
        assertThat(calls.get(0).cancelled).isFalse();
        calls.get(0).answer.tryEmitValue(documents("a1"));

        assertThat(answers).containsExactly(documents("a1"));
        assertThat(calls).hasSize(1);
    }

    @Test
    void whenEverySharerCancelsTheCallIsCancelledAndItsEntryGone() {
        Disposable first = users.fetch(List.of("a1")).subscribe();
        Disposable second = users.fetch(List.of("a1")).subscribe();

        first.dispose();
        second.dispose();

        assertThat(calls.get(0).cancelled).isTrue();
        assertThat(shared.inFlight()).isZero();
        users.fetch(List.of("a1")).subscribe();
        assertThat(calls).hasSize(2);
    }

    @Test
    void theCallRunsOutsideEveryAnswersBudgetAndEachSharerCountsItsBytesInItsOwn() {
        AnswerBudget roomy = AnswerBudget.unlimited();
        // a budget with room for less than the answer's 100 bytes
        AnswerBudget tight = new AnswerBudget(Long.MAX_VALUE, 50, bytes -> true);
        List<List<JsonNode>> answers = new ArrayList<>();
        within(tight, users.fetch(List.of("a1"))).as(StepVerifier::create)
                .expectSubscription()
                .then(() -> within(roomy, users.fetch(List.of("a1"))).subscribe(answers::add))
                .then(() -> calls.get(0).answer.tryEmitValue(documents("a1")))
                .expectError(PopulateLimitException.class)
                .verify();

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).budget).as("a budget of the call's own").isPresent()
                .get().isNotSameAs(tight).isNotSameAs(roomy);
        assertThat(answers).as("one answer's refusal is not the other's").containsExactly(documents("a1"));
        assertThat(roomy.bytesCounted()).isEqualTo(100);
        assertThat(tight.bytesCounted()).isEqualTo(100);
    }

    @Test
    void listLookupsShareWhenTheirFieldIdsAndOptionsAreTheSame() {
        List<Sinks.One<Map<String, JsonNode>>> listCalls = new ArrayList<>();
        ListFetcher lists = sharedLists(listCalls);
        ListOptions three = new ListOptions(List.of(), 3, false);
        List<Map<String, JsonNode>> answers = new ArrayList<>();

        lists.fetch("userId", List.of("a1", "a2"), three).subscribe(answers::add);
        lists.fetch("userId", List.of("a2", "a1"), new ListOptions(List.of(), 3, false)).subscribe(answers::add);
        lists.fetch("userId", List.of("a1", "a2"), new ListOptions(List.of(), 4, false)).subscribe();
        lists.fetch("userId", List.of("a1", "a2"), new ListOptions(List.of(), 3, true)).subscribe();
        lists.fetch("userId", List.of("a1", "a2"),
                new ListOptions(List.of(new ListOptions.SortKey("price", true)), 3, false)).subscribe();

        assertThat(listCalls).hasSize(4);
        assertThat(sharedCount).hasValue(1);
        listCalls.get(0).tryEmitValue(Map.of("a1", JSON.createArrayNode()));
        assertThat(answers).hasSize(2).allSatisfy(answer -> assertThat(answer).containsOnlyKeys("a1"));
    }

    @Test
    void listLookupsWithOtherFiltersOrSkipNeverShare() {
        List<Sinks.One<Map<String, JsonNode>>> listCalls = new ArrayList<>();
        ListFetcher lists = sharedLists(listCalls);
        FilterableField price = FilterableField.decimal("price");
        FilterableField title = FilterableField.string("title", 200);
        List<Filter> atLeast100 = List.of(new Filter(price, FilterOperator.GTE, List.of(new BigDecimal("100"))));
        List<Map<String, JsonNode>> answers = new ArrayList<>();

        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(), atLeast100, 3, 3, false)).subscribe(answers::add);
        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(),
                List.of(new Filter(price, FilterOperator.GTE, List.of(new BigDecimal("100")))), 3, 3, false))
                .subscribe(answers::add);
        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(),
                List.of(new Filter(price, FilterOperator.GTE, List.of(new BigDecimal("101")))), 3, 3, false)).subscribe();
        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(),
                List.of(new Filter(price, FilterOperator.GT, List.of(new BigDecimal("100")))), 3, 3, false)).subscribe();
        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(),
                List.of(new Filter(title, FilterOperator.EQ, List.of("100"))), 3, 3, false)).subscribe();
        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(), atLeast100, 2, 3, false)).subscribe();
        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(), List.of(), 3, 3, false)).subscribe();
        lists.fetch("userId", List.of("a1"), new ListOptions(List.of(), atLeast100, 0, 3, true)).subscribe();

        assertThat(listCalls).as("the same filters and skip share; any other filter, operator, value or skip does not")
                .hasSize(7);
        assertThat(sharedCount).hasValue(1);
        listCalls.get(0).tryEmitValue(Map.of("a1", JSON.createArrayNode()));
        assertThat(answers).hasSize(2);
    }

    /** Product lists shared in flight, over a fetcher that adds each call it makes to {@code calls}, unanswered. */
    private ListFetcher sharedLists(List<Sinks.One<Map<String, JsonNode>>> calls) {
        return shared.lists("product", (field, ids, options) -> {
            Sinks.One<Map<String, JsonNode>> call = Sinks.one();
            calls.add(call);
            return call.asMono();
        }, sharedCount::incrementAndGet);
    }
}
