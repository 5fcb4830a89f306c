package com.example.shop.gateway.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.ListFetcher;

/**
 * The naive way to fetch: one call per id, all at once (the N+1 of an ORM's lazy loading), and for list
 * fields one lookup per parent document ({@link #perParent}). The benchmark's naive baseline only, to show what
 * batching buys: it is in the gateway built with the {@code bench} profile ({@link PerIdFetchAutoConfiguration}),
 * never in the gateway's own jar. Any failed call fails the whole fetch, as a failed batch would.
 */
public final class PerIdFetcher implements DocumentFetcher {

    private final Function<String, Mono<JsonNode>> fetchOne;

    /** @param fetchOne the document of one id; empty when it does not exist */
    public PerIdFetcher(Function<String, Mono<JsonNode>> fetchOne) {
        this.fetchOne = fetchOne;
    }

    @Override
    public Mono<List<JsonNode>> fetch(List<String> ids) {
        return Flux.fromIterable(ids).flatMap(fetchOne, Math.max(1, ids.size())).collectList();
    }

    /** The naive way to fill list fields: one lookup per parent, all at once. Any failed call fails them all. */
    public static ListFetcher perParent(ListFetcher batched) {
        return (field, ids, options) -> Flux.fromIterable(ids)
                .flatMap(id -> batched.fetch(field, List.of(id), options), Math.max(1, ids.size()))
                .<Map<String, JsonNode>>collect(HashMap::new, Map::putAll);
    }
}
