package com.example.shop.gateway.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.populate.PopulateEngine;
import com.example.shop.gateway.populate.PopulateResult;
import com.example.shop.gateway.populate.PopulateSpecParser;
import com.example.shop.gateway.populate.Shape;
import com.example.shop.gateway.api.ShopApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's naive fetch: one call per id. Runs with the bench profile:
 * {@code ./mvnw -B -Pbench -pl gateway -am test -Dtest=PerIdFetchTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PerIdFetchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<List<String>> batchCalls = new CopyOnWriteArrayList<>();

    private final List<String> singleCalls = new CopyOnWriteArrayList<>();

    private static String id(int n) {
        return String.format("%024x", n);
    }

    private static ObjectNode user(String id) {
        return JSON.createObjectNode().put("id", id).put("name", "user " + id);
    }

    private final DocumentFetcher batched = ids -> {
        batchCalls.add(ids);
        return Mono.just(ids.stream().<JsonNode>map(PerIdFetchTest::user).toList());
    };

    private Mono<JsonNode> one(String id) {
        singleCalls.add(id);
        return Mono.just(user(id));
    }

    /** A page of products, each with its own owner, populated with {@code userId}. */
    private PopulateResult populatePage(int size) {
        DocumentFetcher users = new PerIdFetcher(this::one);
        PopulateEngine engine = new PopulateEngine(Map.of(ShopApi.USER, users, ShopApi.PRODUCT, batched), 100, 4,
                Duration.ofSeconds(5), ShopApi::isId, Schedulers.parallel());
        ObjectNode page = JSON.createObjectNode();
        IntStream.range(0, size).forEach(i -> page.withArray("content").addObject()
                .put("id", id(100_000 + i)).put("userId", id(i)));
        return engine.populate(page, Shape.COLLECTION,
                new Planner(ShopApi.resources(), 3).plan(ShopApi.PRODUCT, PopulateSpecParser.parse(List.of("userId"))))
                .block(Duration.ofSeconds(5));
    }

    @Test
    void perIdMakesOneCallPerOwner() {
        PopulateResult result = populatePage(50);

        assertThat(batchCalls).isEmpty();
        assertThat(singleCalls).hasSize(50).doesNotHaveDuplicates();
        assertThat(result.unresolved()).isEmpty();
        assertThat(result.body().get("content").get(49).get("userId").get("name").stringValue()).isEqualTo("user " + id(49));
    }
}
