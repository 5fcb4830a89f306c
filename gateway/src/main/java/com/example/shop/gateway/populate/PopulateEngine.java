package com.example.shop.gateway.populate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries out a {@link PopulatePlan} on a response body, level by level: at each level the ids of every
 * node are gathered, one batch per target resource fetches the distinct ids not seen yet in this
 * request (in chunks, at most {@code concurrency} of them in flight per resource), and the documents
 * are spliced in; the next level works on the documents just brought in. A missing document becomes
 * {@code null}; an id whose fetch failed stays an id and its path is reported unresolved. The whole run
 * has a deadline (by default the budget from its start; the HTTP edge gives the one of its request);
 * what is not fetched by then stays unresolved. No I/O of its own: documents come from the
 * {@link DocumentFetcher}s.
 * <p>
 * A list field ({@code products} of a user) is filled at its level too: one lookup per list node gathers
 * the lists of every parent document of the level at once (the ids of a page of users in one call, in
 * chunks bounded by {@link #MAX_DOCUMENTS_PER_LOOKUP}), through the target's {@link ListFetcher}. Its
 * documents are the next level's parents; when the lookup fails, the field is left out and its path
 * reported unresolved.
 * <p>
 * What an answer may take is its {@link AnswerBudget}'s to say: the engine counts in it each level's documents
 * and what they cost, before splicing them, and stops at the budget's refusal.
 */
public final class PopulateEngine {

    /**
     * The most documents one list lookup may bring or read (parents per lookup × the per-parent skip + limit): a
     * page of 100 users with the default limit of 100 is fetched in 5 lookups of 20 users, not one answer of
     * 10,000 documents; with {@code skip=1000;limit=100}, one user a lookup, so that no one call makes its service
     * read more than this many documents (each parent's skipped ones are read and passed over).
     */
    public static final int MAX_DOCUMENTS_PER_LOOKUP = 2000;

    private final Map<String, DocumentFetcher> fetchers;

    private final Map<String, ListFetcher> listFetchers;

    private final int batchSize;

    private final int concurrency;

    private final Duration budget;

    private final Predicate<String> isId;

    private final Scheduler timer;

    /**
     * @param fetchers  one per resource that references point to
     * @param batchSize   the most ids in one fetch
     * @param concurrency the most fetches of one resource in flight at once, per populate run
     * @param budget      the time a populate step may take
     * @param isId      which strings are ids (others are left alone, never sent)
     * @param timer     the clock and timer of the budget ({@code Schedulers.parallel()} outside tests)
     */
    public PopulateEngine(Map<String, DocumentFetcher> fetchers, int batchSize, int concurrency, Duration budget,
            Predicate<String> isId, Scheduler timer) {
        this(fetchers, Map.of(), batchSize, concurrency, budget, isId, timer);
    }

    /**
     * @param listFetchers one per resource that list fields gather
     */
    public PopulateEngine(Map<String, DocumentFetcher> fetchers, Map<String, ListFetcher> listFetchers, int batchSize,
            int concurrency, Duration budget, Predicate<String> isId, Scheduler timer) {
        if (batchSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException("batchSize and concurrency must be at least 1");
        }
        this.fetchers = Map.copyOf(fetchers);
        this.listFetchers = Map.copyOf(listFetchers);
        this.batchSize = batchSize;
        this.concurrency = concurrency;
        this.budget = budget;
        this.isId = isId;
        this.timer = timer;
    }

    /** Checks that every resource the schema refers to can be fetched. */
    public PopulateEngine requireFetchersFor(ResourceSchema schema) {
        Set<String> missing = new TreeSet<>(schema.targets());
        missing.removeAll(fetchers.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no fetcher for referenced resource(s) " + missing);
        }
        Set<String> missingLists = new TreeSet<>(schema.listTargets());
        missingLists.removeAll(listFetchers.keySet());
        if (!missingLists.isEmpty()) {
            throw new IllegalStateException("no list fetcher for resource(s) " + missingLists);
        }
        return this;
    }

    /**
     * The deadline of a populate step whose time starts now: the budget from now, in the timer's
     * milliseconds. The HTTP edge takes it when the request arrives, so that reading the backend's
     * answer and the lookups share one budget.
     */
    public long deadlineFromNow() {
        return timer.now(TimeUnit.MILLISECONDS) + budget.toMillis();
    }

    /** The time left until {@code deadline}; zero once it has passed. */
    public Duration timeLeft(long deadline) {
        return Duration.ofMillis(Math.max(0, deadline - timer.now(TimeUnit.MILLISECONDS)));
    }

    /**
     * Populates {@code body} (changed in place and returned in the result) with the documents as the
     * fetchers bring them: what the caller may see of them is the backends' decision (the lookups are made
     * on the caller's behalf), so a field a backend leaves out is neither shown nor followed.
     */
    public Mono<PopulateResult> populate(JsonNode body, Shape shape, PopulatePlan plan) {
        return Mono.defer(() -> populate(body, shape, plan, deadlineFromNow()));
    }

    /**
     * Populates {@code body} as {@link #populate(JsonNode, Shape, PopulatePlan)} does, by {@code deadline}
     * (from {@link #deadlineFromNow()}) instead of the budget from now.
     */
    public Mono<PopulateResult> populate(JsonNode body, Shape shape, PopulatePlan plan, long deadline) {
        return populate(body, shape, plan, deadline, AnswerBudget.unlimited());
    }

    /**
     * Populates {@code body} as {@link #populate(JsonNode, Shape, PopulatePlan, long)} does, within
     * {@code answerBudget}: the trees parsed (the response's and the lookups'), and the documents each level
     * brings with what their copies cost ({@link JsonSize#asCopy()}), are counted before the copies are made, so an
     * answer over its budget stops before its copies exist; the budget's refusal ends the run with its error, the
     * lookups in flight cancelled. The budget is in the run's Reactor context too ({@link AnswerBudget#CONTEXT_KEY}),
     * for the fetchers to count the bytes their answers bring as they arrive (a lookup shared with other requests in
     * flight counts them once whole: {@link SharedLookups}).
     */
    public Mono<PopulateResult> populate(JsonNode body, Shape shape, PopulatePlan plan, long deadline,
            AnswerBudget answerBudget) {
        return Mono.defer(() -> {
            // the response's own tree; its bytes are counted by whoever read them
            answerBudget.bytes(JsonSize.treeOverheadOf(body));
            Run run = new Run(deadline, answerBudget);
            List<JsonNode> documents = shape.documents(body);
            List<Task> first = plan.nodes().stream().map(node -> new Task(node, documents)).toList();
            return run.level(first).then(Mono.fromSupplier(() -> new PopulateResult(body, List.copyOf(run.unresolved))));
        }).contextWrite(context -> context.put(AnswerBudget.CONTEXT_KEY, answerBudget));
    }

    /** A node of the plan and the documents its reference field is read from. */
    private record Task(PlanNode node, List<? extends JsonNode> parents) {
    }

    /** A list node and the documents it fills, by id (a document repeated in the response is filled each time). */
    private record ListTask(PlanNode node, Map<String, List<ObjectNode>> parents) {
    }

    /** The state of one populate call: what has been fetched, what failed, which paths are unresolved. */
    private final class Run {

        private final long deadline;

        private final AnswerBudget answerBudget;

        /** By resource, by id: the document, or empty when it does not exist. */
        private final Map<String, Map<String, Optional<ObjectNode>>> known = new HashMap<>();

        private final Map<String, Set<String>> failed = new HashMap<>();

        private final Set<String> unresolved = new LinkedHashSet<>();

        Run(long deadline, AnswerBudget answerBudget) {
            this.deadline = deadline;
            this.answerBudget = answerBudget;
        }

        Mono<Void> level(List<Task> tasks) {
            if (tasks.isEmpty()) {
                return Mono.empty();
            }
            Map<Task, List<Splicer.Slot>> slots = new LinkedHashMap<>();
            Map<String, Set<String>> wanted = new LinkedHashMap<>();
            List<ListTask> lists = new ArrayList<>();
            for (Task task : tasks) {
                if (task.node().isList()) {
                    lists.add(new ListTask(task.node(), parents(task)));
                    continue;
                }
                List<Splicer.Slot> found = Splicer.slots(task.parents(), task.node().field(), isId);
                slots.put(task, found);
                String target = task.node().target();
                for (Splicer.Slot slot : found) {
                    if (!knows(target, slot.id())) {
                        wanted.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(slot.id());
                    }
                }
            }
            Mono<List<Map.Entry<Map.Entry<String, Set<String>>, Batches.Outcome<ObjectNode>>>> stored = Flux
                    .fromIterable(wanted.entrySet())
                    .flatMap(entry -> Batches.fetch(entry.getKey(), fetchers.get(entry.getKey()),
                                    List.copyOf(entry.getValue()), batchSize, concurrency, deadline, timer)
                            .map(outcome -> Map.entry(entry, outcome)))
                    .collectList();
            Mono<List<Map.Entry<ListTask, Batches.Outcome<JsonNode>>>> listed = Flux.fromIterable(lists)
                    .flatMap(list -> fetchLists(list).map(outcome -> Map.entry(list, outcome)))
                    .collectList();
            return Mono.zip(stored, listed).flatMap(outcomes -> {
                outcomes.getT1().forEach(o -> record(o.getKey().getKey(), o.getKey().getValue(), o.getValue()));
                List<Task> next = splice(slots);
                outcomes.getT2().forEach(o -> next.addAll(spliceLists(o.getKey(), o.getValue())));
                return level(next);
            });
        }

        /** The lists of every parent of {@code list}, by parent id. */
        private Mono<Batches.Outcome<JsonNode>> fetchLists(ListTask list) {
            PlanNode node = list.node();
            ListFetcher fetcher = listFetchers.get(node.target());
            int parentsPerLookup = node.options().count() ? batchSize
                    : Math.max(1, Math.min(batchSize,
                            MAX_DOCUMENTS_PER_LOOKUP / (node.options().skip() + node.options().limit())));
            return Batches.fetchEach(node.target(), chunk -> fetcher.fetch(node.foreignField(), chunk, node.options()),
                    List.copyOf(list.parents().keySet()), parentsPerLookup, concurrency, deadline, timer);
        }

        /** The parents of a list task that have an id, by id (documents repeated in a response share one). */
        private Map<String, List<ObjectNode>> parents(Task task) {
            Map<String, List<ObjectNode>> parents = new LinkedHashMap<>();
            for (JsonNode parent : task.parents()) {
                JsonNode id = parent.get("id");
                if (parent instanceof ObjectNode object && id != null && id.isString() && isId.test(id.stringValue())) {
                    parents.computeIfAbsent(id.stringValue(), k -> new ArrayList<>()).add(object);
                }
            }
            return parents;
        }

        /**
         * Sets the list field of each parent, once the documents and bytes this brings are counted in the
         * budget; returns the next level's tasks.
         */
        private List<Task> spliceLists(ListTask task, Batches.Outcome<JsonNode> outcome) {
            PlanNode node = task.node();
            String field = node.field().get(0);
            Set<String> keep = node.keep();
            if (!node.options().count()) {
                count(task, outcome, keep);
            }
            List<ObjectNode> brought = new ArrayList<>();
            task.parents().forEach((id, parents) -> {
                if (outcome.failed().contains(id)) {
                    return;
                }
                JsonNode found = outcome.found().get(id);
                for (ObjectNode parent : parents) {
                    if (node.options().count()) {
                        parent.put(field, found != null && found.isNumber() ? found.longValue() : 0L);
                        continue;
                    }
                    ArrayNode list = parent.putArray(field);
                    if (found != null) {
                        for (JsonNode document : found.values()) {
                            if (document instanceof ObjectNode object) {
                                ObjectNode copy = Splicer.select(object, keep);
                                list.add(copy);
                                brought.add(copy);
                            }
                        }
                    }
                }
            });
            if (!outcome.failed().isEmpty()) {
                unresolved.addAll(node.paths());
            }
            return node.children().stream().map(child -> new Task(child, brought)).toList();
        }

        /**
         * Counts what the lists of {@code task} bring: the trees its lookups parsed (their bytes were counted as they
         * arrived), and a copy of its list in each parent.
         */
        private void count(ListTask task, Batches.Outcome<JsonNode> outcome, Set<String> keep) {
            long documents = 0;
            long bytes = 0;
            for (Map.Entry<String, List<ObjectNode>> parents : task.parents().entrySet()) {
                JsonNode found = outcome.found().get(parents.getKey());
                if (found == null || outcome.failed().contains(parents.getKey())) {
                    continue;
                }
                long list = 2;
                int count = 0;
                for (JsonNode document : found.values()) {
                    if (document instanceof ObjectNode object) {
                        bytes = PlanNode.saturatedAdd(bytes, JsonSize.treeOverheadOf(object));
                        list += JsonSize.of(object, keep).asCopy() + (count++ == 0 ? 0 : 1);
                    }
                }
                documents = PlanNode.saturatedAdd(documents, (long) count * parents.getValue().size());
                bytes = PlanNode.saturatedAdd(bytes, PlanNode.saturatedMultiply(list, parents.getValue().size()));
            }
            answerBudget.documents(documents);
            answerBudget.bytes(bytes);
        }

        private boolean knows(String target, String id) {
            return known.getOrDefault(target, Map.of()).containsKey(id)
                    || failed.getOrDefault(target, Set.of()).contains(id);
        }

        /** Keeps what a lookup found, counting the trees it parsed (their bytes were counted as they arrived). */
        private void record(String target, Set<String> asked, Batches.Outcome<ObjectNode> outcome) {
            long trees = 0;
            for (ObjectNode document : outcome.found().values()) {
                trees = PlanNode.saturatedAdd(trees, JsonSize.treeOverheadOf(document));
            }
            answerBudget.bytes(trees);
            Map<String, Optional<ObjectNode>> documents = known.computeIfAbsent(target, t -> new HashMap<>());
            failed.computeIfAbsent(target, t -> new HashSet<>()).addAll(outcome.failed());
            for (String id : asked) {
                if (!outcome.failed().contains(id)) {
                    documents.put(id, Optional.ofNullable(outcome.found().get(id)));
                }
            }
        }

        /** Counts what {@code slots} of {@code node} bring: a copy of its document in each. */
        private void count(PlanNode node, List<Splicer.Slot> slots) {
            Map<String, Optional<ObjectNode>> documents = known.getOrDefault(node.target(), Map.of());
            Map<String, Long> costs = new HashMap<>();
            long count = 0;
            long bytes = 0;
            for (Splicer.Slot slot : slots) {
                Optional<ObjectNode> document = documents.getOrDefault(slot.id(), Optional.empty());
                if (document.isPresent()) {
                    count++;
                    bytes = PlanNode.saturatedAdd(bytes, costs.computeIfAbsent(slot.id(),
                            id -> JsonSize.of(document.get(), node.keep()).asCopy()));
                }
            }
            answerBudget.documents(count);
            answerBudget.bytes(bytes);
        }

        /**
         * Puts what is known in place of the ids, once the documents and bytes this brings are counted in the
         * budget; returns the next level's tasks.
         */
        private List<Task> splice(Map<Task, List<Splicer.Slot>> slots) {
            List<Task> next = new ArrayList<>();
            slots.forEach((task, taskSlots) -> count(task.node(), taskSlots));
            slots.forEach((task, taskSlots) -> {
                PlanNode node = task.node();
                Set<String> keep = node.keep();
                List<ObjectNode> brought = new ArrayList<>();
                boolean anyFailed = false;
                for (Splicer.Slot slot : taskSlots) {
                    if (failed.getOrDefault(node.target(), Set.of()).contains(slot.id())) {
                        anyFailed = true;
                        continue;
                    }
                    Optional<ObjectNode> document = known.get(node.target()).get(slot.id());
                    if (document.isEmpty()) {
                        slot.replace(NullNode.getInstance());
                    }
                    else {
                        ObjectNode copy = Splicer.select(document.get(), keep);
                        slot.replace(copy);
                        brought.add(copy);
                    }
                }
                if (anyFailed) {
                    unresolved.addAll(node.paths());
                }
                node.children().forEach(child -> next.add(new Task(child, brought)));
            });
            return next;
        }
    }
}
