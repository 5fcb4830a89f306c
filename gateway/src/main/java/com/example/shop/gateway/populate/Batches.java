package com.example.shop.gateway.populate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fetches a set of distinct ids of one resource in chunks of at most {@code size}, all chunks at once.
 * A chunk that fails or is not answered in time does not spoil the others: its ids come back as failed.
 */
final class Batches {

    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    /**
     * @param found  the documents that exist, by id
     * @param failed the ids whose fate is unknown
     */
    record Outcome(Map<String, ObjectNode> found, Set<String> failed) {

        static Outcome failed(List<String> ids) {
            return new Outcome(Map.of(), Set.copyOf(ids));
        }

        Outcome plus(Outcome other) {
            Map<String, ObjectNode> allFound = new HashMap<>(found);
            allFound.putAll(other.found);
            Set<String> allFailed = new HashSet<>(failed);
            allFailed.addAll(other.failed);
            return new Outcome(allFound, allFailed);
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

    static Mono<Outcome> fetch(String resource, DocumentFetcher fetcher, List<String> ids, int size, Duration within,
            Scheduler timer) {
        if (ids.isEmpty()) {
            return Mono.just(new Outcome(Map.of(), Set.of()));
        }
        if (within.isZero() || within.isNegative()) {
            log.warn("Populate budget spent: {} id(s) of {} left unresolved", ids.size(), resource);
            return Mono.just(Outcome.failed(ids));
        }
        List<List<String>> chunks = chunks(ids, size);
        return Flux.fromIterable(chunks)
                .flatMap(chunk -> Mono.defer(() -> fetcher.fetch(chunk))
                        .timeout(within, timer)
                        .map(documents -> found(chunk, documents))
                        .onErrorResume(error -> {
                            log.warn("Fetching {} id(s) of {} failed: {}", chunk.size(), resource, error.toString());
                            return Mono.just(Outcome.failed(chunk));
                        }), chunks.size())
                .reduce(Outcome::plus);
    }

    /** The documents of the answer that were asked for, by id; anything else in it is ignored. */
    private static Outcome found(List<String> chunk, List<JsonNode> documents) {
        Set<String> asked = Set.copyOf(chunk);
        Map<String, ObjectNode> found = new HashMap<>();
        for (JsonNode document : documents) {
            JsonNode id = document.get("id");
            if (document instanceof ObjectNode object && id != null && id.isString() && asked.contains(id.stringValue())) {
                found.put(id.stringValue(), object);
            }
        }
        return new Outcome(found, Set.of());
    }
}
