package com.example.shop.gateway.populate;

import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Fetches documents of one resource by id: the engine's only way out. The HTTP implementations are
 * the backend clients; tests pass a map.
 */
@FunctionalInterface
public interface DocumentFetcher {

    /**
     * A key of a populate run's Reactor context: when it is {@code true}, the run's lookups reach the backends,
     * answered by no cache and kept in none. It is the run that populates a write's answer: the cache learns of
     * the write only once that answer has gone out, so what it keeps may be what the write changed.
     */
    String FRESH_LOOKUPS = DocumentFetcher.class.getName() + ".fresh";

    /**
     * The documents among {@code ids} that exist, each carrying its {@code id}; any order. Called with
     * at most the configured batch size of distinct ids. An error means the ids' fate is unknown (never
     * that they are missing).
     */
    Mono<List<JsonNode>> fetch(List<String> ids);
}
