package com.example.shop.gateway.populate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.example.shop.web.TracedLogging;

/**
 * Fetches a set of distinct ids of one resource in chunks of at most {@code size}, at most
 * {@code concurrency} chunks in flight at once, each by the run's deadline. A chunk that fails or is not
 * answered in time does not spoil the others: its ids come back as failed, and so do those of a chunk
 * whose turn comes after the deadline. What is fetched per id is a document (a stored reference) or a
 * list or count (a list field). A lookup stopped by the answer's {@link AnswerBudget} fails the whole fetch
 * with the budget's refusal instead.
 */
final class Batches {

    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    /**
     * @param found  the documents that exist, by id
     * @param failed the ids whose fate is unknown
     */
    record Outcome<T>(Map<String, T> found, Set<String> failed) {

        static <T> Outcome<T> failed(List<String> ids) {
            return new Outcome<>(Map.of(), Set.copyOf(ids));
        }

        Outcome<T> plus(Outcome<T> other) {
            Map<String, T> allFound = new HashMap<>(found);
            allFound.putAll(other.found);
            Set<String> allFailed = new HashSet<>(failed);
            allFailed.addAll(other.failed);
            return new Outcome<>(allFound, allFailed);
        }
    }

    private Batches() {
    }

    static List<List<String>> chunks(List<String> ids, int size) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += size) {
            chunks.add(List.copyOf(ids.subList(from, Math.min(ids.size(), from + size))));
        }
        return chunks;
    }

    /**
     * @param deadline when the run's time is up, in {@code timer}'s milliseconds
     */
    static Mono<Outcome<ObjectNode>> fetch(String resource, DocumentFetcher fetcher, List<String> ids, int size,
            int concurrency, long deadline, Scheduler timer) {
        return fetchEach(resource, chunk -> fetcher.fetch(chunk).map(Batches::byId), ids, size,
                concurrency, deadline, timer);
    }

    /**
     * @param fetch what one chunk of ids brings, by id; anything else in its answer is ignored
     */
    static <T> Mono<Outcome<T>> fetchEach(String resource, Function<List<String>, Mono<Map<String, T>>> fetch,
            List<String> ids, int size, int concurrency, long deadline, Scheduler timer) {
        if (ids.isEmpty()) {
            return Mono.just(new Outcome<>(Map.of(), Set.of()));
        }
        List<List<String>> chunks = chunks(ids, size);
        return Flux.fromIterable(chunks)
                .flatMap(chunk -> fetchChunk(resource, fetch, chunk, deadline, timer), concurrency)
                .reduce(Outcome::plus);
    }

    private static <T> Mono<Outcome<T>> fetchChunk(String resource, Function<List<String>, Mono<Map<String, T>>> fetch,
            List<String> chunk, long deadline, Scheduler timer) {
        return Mono.deferContextual(context -> {
            long left = deadline - timer.now(TimeUnit.MILLISECONDS);
            if (left <= 0) {
                TracedLogging.in(context, () -> log.warn("Populate budget spent: {} id(s) of {} left unresolved",
                        chunk.size(), resource));
                return Mono.just(Outcome.<T>failed(chunk));
            }
            Set<String> asked = Set.copyOf(chunk);
            return Mono.defer(() -> fetch.apply(chunk))
                    .timeout(Duration.ofMillis(left), timer)
                    .map(found -> {
                        Map<String, T> kept = new HashMap<>(found);
                        kept.keySet().retainAll(asked);
                        return new Outcome<>(kept, Set.<String>of());
                    })
                    .onErrorResume(error -> {
                        RuntimeException refusal = AnswerBudget.refusal(error);
                        if (refusal != null) {
                            // not this lookup's failure: the whole answer is over its budget
                            return Mono.error(refusal);
                        }
                        TracedLogging.in(context, () -> log.warn("Fetching {} id(s) of {} failed: {}", chunk.size(),
                                resource, error.toString()));
                        return Mono.just(Outcome.<T>failed(chunk));
                    });
        });
    }

    /** The documents of an answer, by id ({@link #fetchEach} keeps only those asked for). */
    private static Map<String, ObjectNode> byId(List<JsonNode> documents) {
        Map<String, ObjectNode> found = new HashMap<>();
        for (JsonNode document : documents) {
            JsonNode id = document.get("id");
            if (document instanceof ObjectNode object && id != null && id.isString()) {
                found.put(id.stringValue(), object);
            }
        }
        return found;
    }
}
