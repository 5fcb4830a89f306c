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
 */
public final class PopulateEngine {

    private final Map<String, DocumentFetcher> fetchers;

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
        if (batchSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException("batchSize and concurrency must be at least 1");
        }
        this.fetchers = Map.copyOf(fetchers);
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
        return Mono.defer(() -> {
            Run run = new Run(deadline);
            List<JsonNode> documents = shape.documents(body);
            List<Task> first = plan.nodes().stream().map(node -> new Task(node, documents)).toList();
            return run.level(first).then(Mono.fromSupplier(() -> new PopulateResult(body, List.copyOf(run.unresolved))));
        });
    }

    /** A node of the plan and the documents its reference field is read from. */
    private record Task(PlanNode node, List<? extends JsonNode> parents) {
    }

    /** The state of one populate call: what has been fetched, what failed, which paths are unresolved. */
    private final class Run {

        private final long deadline;

        /** By resource, by id: the document, or empty when it does not exist. */
        private final Map<String, Map<String, Optional<ObjectNode>>> known = new HashMap<>();

        private final Map<String, Set<String>> failed = new HashMap<>();

        private final Set<String> unresolved = new LinkedHashSet<>();

        Run(long deadline) {
            this.deadline = deadline;
        }

        Mono<Void> level(List<Task> tasks) {
            if (tasks.isEmpty()) {
                return Mono.empty();
            }
            Map<Task, List<Splicer.Slot>> slots = new LinkedHashMap<>();
            Map<String, Set<String>> wanted = new LinkedHashMap<>();
            for (Task task : tasks) {
                List<Splicer.Slot> found = Splicer.slots(task.parents(), task.node().field(), isId);
                slots.put(task, found);
                String target = task.node().target();
                for (Splicer.Slot slot : found) {
                    if (!knows(target, slot.id())) {
                        wanted.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(slot.id());
                    }
                }
            }
            return Flux.fromIterable(wanted.entrySet())
                    .flatMap(entry -> Batches.fetch(entry.getKey(), fetchers.get(entry.getKey()),
                                    List.copyOf(entry.getValue()), batchSize, concurrency, deadline, timer)
                            .map(outcome -> Map.entry(entry, outcome)))
                    .collectList()
                    .flatMap(outcomes -> {
                        outcomes.forEach(o -> record(o.getKey().getKey(), o.getKey().getValue(), o.getValue()));
                        return level(splice(slots));
                    });
        }

        private boolean knows(String target, String id) {
            return known.getOrDefault(target, Map.of()).containsKey(id)
                    || failed.getOrDefault(target, Set.of()).contains(id);
        }

        private void record(String target, Set<String> asked, Batches.Outcome outcome) {
            Map<String, Optional<ObjectNode>> documents = known.computeIfAbsent(target, t -> new HashMap<>());
            failed.computeIfAbsent(target, t -> new HashSet<>()).addAll(outcome.failed());
            for (String id : asked) {
                if (!outcome.failed().contains(id)) {
                    documents.put(id, Optional.ofNullable(outcome.found().get(id)));
                }
            }
        }

        /** Puts what is known in place of the ids; returns the next level's tasks. */
        private List<Task> splice(Map<Task, List<Splicer.Slot>> slots) {
            List<Task> next = new ArrayList<>();
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
