package com.example.shop.gateway.populate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import com.example.shop.gateway.web.GatewayJson;
import com.example.shop.gateway.api.ShopApi;

/**
 * The populate engine's own work on a page of 50 products with 50 distinct owners, as the gateway's
 * filter does it, with the fetch stubbed by documents in memory: no I/O, so what is left is the engine's
 * cost per request. Run by {@code ./mvnw -Pjmh} (see the gateway's pom), never by {@code verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PopulateEngineBenchmark {

    private static final int PAGE = 50;

    private final GatewayJson json = new GatewayJson(JsonMapper.builder().build());

    private final Planner planner = new Planner(ShopApi.resources(), 3);

    private final List<String> populate = List.of("userId");

    private byte[] page;

    private PopulateEngine engine;

    private PopulatePlan plan;

    private static String id(int n) {
        return String.format("%024x", n);
    }

    @Setup
    public void setUp() {
        JsonMapper mapper = JsonMapper.builder().build();
        Map<String, JsonNode> users = new java.util.HashMap<>();
        ObjectNode body = mapper.createObjectNode();
        ArrayNode content = body.putArray("content");
        for (int i = 0; i < PAGE; i++) {
            String owner = id(1_000_000 + i);
            content.addObject().put("id", id(i)).put("title", String.format("Product %05d", i))
                    .put("imageUrl", "https://example.com/p/" + i + ".png").put("price", new java.math.BigDecimal("19.90"))
                    .put("description", "Benchmark product number " + i + ", a fine thing to own.").put("userId", owner);
            ObjectNode user = mapper.createObjectNode().put("id", owner).put("name", String.format("Bench User %04d", i))
                    .put("email", "bench-" + i + "@example.com");
            ArrayNode items = user.putObject("cart").putArray("items");
            for (int k = 0; k < 5; k++) {
                items.addObject().put("productId", id(2_000_000 + i * 5 + k)).put("quantity", k + 1);
            }
            users.put(owner, user);
        }
        body.putObject("page").put("size", PAGE).put("number", 0).put("totalElements", 5000).put("totalPages", 100);
        page = json.write(body);
        DocumentFetcher stub = ids -> Mono.just(ids.stream().map(users::get).filter(java.util.Objects::nonNull).toList());
        engine = new PopulateEngine(Map.of(ShopApi.USER, stub, ShopApi.PRODUCT, stub), 100, 4, Duration.ofSeconds(3),
                ShopApi::isId, Schedulers.parallel());
        plan = planner.plan(ShopApi.PRODUCT, PopulateSpecParser.parse(populate));
    }

    /** The whole step: parse the parameter, plan, read the body, populate (gather, fetch, splice), write it. */
    @Benchmark
    public byte[] populatePage() {
        PopulatePlan planned = planner.plan(ShopApi.PRODUCT, PopulateSpecParser.parse(populate));
        PopulateResult result = engine.populate(json.read(page), Shape.COLLECTION, planned).block();
        return json.write(result.body());
    }

    /** Parse and plan only. */
    @Benchmark
    public PopulatePlan parseAndPlan() {
        return planner.plan(ShopApi.PRODUCT, PopulateSpecParser.parse(populate));
    }

    /** Read and write the page without populating: the JSON cost any body-changing filter pays. */
    @Benchmark
    public byte[] readAndWriteOnly() {
        return json.write(json.read(page));
    }

    /** Read, populate and write with a ready plan: the engine's part is this minus {@link #readAndWriteOnly}. */
    @Benchmark
    public byte[] populateWithPlan() {
        return json.write(engine.populate(json.read(page), Shape.COLLECTION, plan).block().body());
    }
}
