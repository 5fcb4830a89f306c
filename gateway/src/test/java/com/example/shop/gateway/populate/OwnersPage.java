package com.example.shop.gateway.populate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import com.example.shop.gateway.api.ShopApi;

/**
 * A page of products, each with its own owner, populated with {@code userId} through the fetchers a test counts
 * the calls of (the batched fetch's test, and the benchmark's per-id fetch's).
 */
public final class OwnersPage {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OwnersPage() {
    }

    /** The {@code n}th owner's id. */
    public static String id(int n) {
        return String.format("%024x", n);
    }

    /** A user as user-service's lookup answers it: id and name ("user " + id). */
    public static ObjectNode user(String id) {
        return JSON.createObjectNode().put("id", id).put("name", "user " + id);
    }

    /** A page of {@code size} products, product {@code i} owned by owner {@code i}, populated with {@code userId}. */
    public static PopulateResult populate(DocumentFetcher users, DocumentFetcher products, int size) {
        PopulateEngine engine = new PopulateEngine(Map.of(ShopApi.USER, users, ShopApi.PRODUCT, products), 100, 4,
                Duration.ofSeconds(5), ShopApi::isId, Schedulers.parallel());
        ObjectNode page = JSON.createObjectNode();
        IntStream.range(0, size).forEach(i -> page.withArray("content").addObject()
                .put("id", id(100_000 + i)).put("userId", id(i)));
        return engine.populate(page, Shape.COLLECTION,
                new Planner(ShopApi.resources(), 3).plan(ShopApi.PRODUCT, PopulateSpecParser.parse(List.of("userId"))))
                .block(Duration.ofSeconds(5));
    }
}
