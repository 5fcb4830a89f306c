package com.example.shop.gateway.populate;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Fetches, for a list field, the documents of one resource whose reference field holds each of a set of
 * ids (Mongoose's virtual populate): the engine's way out for lists, as {@link DocumentFetcher} is for
 * stored references. The HTTP implementation is product-service's client; tests pass a map.
 */
@FunctionalInterface
public interface ListFetcher {

    /**
     * For each of {@code ids} (at most the configured batch size): an array of the documents whose
     * {@code field} holds it, ordered and at most {@code options.limit()} of them, or their number when
     * {@code options.count()}. An id absent from the answer has none. An error means the lists' fate is
     * unknown.
     */
    Mono<Map<String, JsonNode>> fetch(String field, List<String> ids, ListOptions options);

    /** {@code usual}, or {@code fresh} for a run that asks for fresh lookups ({@link DocumentFetcher#freshOr}). */
    static ListFetcher freshOr(ListFetcher fresh, ListFetcher usual) {
        return (field, ids, options) -> Mono.deferContextual(context -> DocumentFetcher.isFresh(context)
                ? fresh.fetch(field, ids, options) : usual.fetch(field, ids, options));
    }
}
