package com.example.shop.gateway.populate;

import java.util.List;

import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;

/**
 * Fetches documents of one resource by id: the engine's only way out. The HTTP implementations are
 * the backend clients; tests pass a map.
 */
@FunctionalInterface
public interface DocumentFetcher {

    /**
     * A key of a populate run's Reactor context: when it is {@code true}, the run's lookups reach the backends,
     * answered by no cache and kept in none, and sharing no call in flight ({@link #freshOr}). It is the run that populates a write's answer: the cache learns of
     * the write only once that answer has gone out, so what it keeps may be what the write changed.
     */
    String FRESH_LOOKUPS = DocumentFetcher.class.getName() + ".fresh";

    /** Whether a populate run asks for fresh lookups ({@link #FRESH_LOOKUPS}). */
    static boolean isFresh(ContextView context) {
        return context.getOrDefault(FRESH_LOOKUPS, false);
    }

    /**
     * {@code usual}, or {@code fresh} (the backend's fetcher, with nothing shared or kept in front of it) for a run
     * that asks for fresh lookups.
     */
    static DocumentFetcher freshOr(DocumentFetcher fresh, DocumentFetcher usual) {
        return ids -> Mono.deferContextual(context -> isFresh(context) ? fresh.fetch(ids) : usual.fetch(ids));
    }

    /**
     * The documents among {@code ids} that exist, each carrying its {@code id}; any order. Called with
     * at most the configured batch size of distinct ids. An error means the ids' fate is unknown (never
     * that they are missing).
     */
    Mono<List<JsonNode>> fetch(List<String> ids);
}
