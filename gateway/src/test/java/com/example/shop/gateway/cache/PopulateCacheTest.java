package com.example.shop.gateway.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import com.example.shop.security.Caller;
import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.populate.PopulateEngine;
import com.example.shop.gateway.populate.PopulateResult;
import com.example.shop.gateway.populate.PopulateSpecParser;
import com.example.shop.gateway.populate.Shape;
import com.example.shop.gateway.api.ShopApi;
import com.example.shop.gateway.cache.CachedResources.Mark;

import static com.example.shop.gateway.api.ShopApi.PRODUCT;
import static com.example.shop.gateway.api.ShopApi.USER;
import static org.assertj.core.api.Assertions.assertThat;

/** The entity cache in front of a fetcher: what it serves, what it asks, what it keeps and for whom. */
class PopulateCacheTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String A = id('a', 1);

    private static final String B = id('a', 2);

    private static final String C = id('a', 3);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private final PopulateCache cache = new PopulateCache(Duration.ofSeconds(1), 1_000_000, new CachedResources(ShopApi.api()), nanos::get);

    /** The ids of every call the backend got. */
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();

    /** What runs inside a backend call, before it answers (a write, the clock moving). */
    private Runnable duringCall = () -> {
    };

    private String name = "user";

    private static String id(char kind, int n) {
        return kind + String.format("%023d", n);
    }

    /**
     * User-service as the caller sees it: the caller whole (with email), others public; {@code C} does not
     * exist.
     */
    private final DocumentFetcher users = ids -> Caller.current().map(Caller::id).defaultIfEmpty("").map(caller -> {
        calls.add(ids);
        duringCall.run();
        return ids.stream().filter(id -> !id.equals(C)).<JsonNode>map(id -> {
            ObjectNode user = JSON.createObjectNode().put("id", id).put("name", name + " " + id);
            return caller.equals(id) ? user.put("email", id + "@example.com") : user;
        }).toList();
    });

    private final DocumentFetcher products = ids -> Mono.fromSupplier(() -> {
        calls.add(ids);
        duringCall.run();
        return ids.stream().<JsonNode>map(id -> JSON.createObjectNode().put("id", id).put("title", name + " " + id)
                .put("userId", A)).toList();
    });

    private static <T> Mono<T> as(String userId, Mono<T> mono) {
        Jwt jwt = Jwt.withTokenValue("token-" + userId).header("alg", "none").subject(userId).build();
        return mono.contextWrite(ReactiveSecurityContextHolder.withAuthentication(
                new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority(Caller.ROLE_USER)))));
    }

    private static Map<String, JsonNode> byId(List<JsonNode> documents) {
        return documents.stream().collect(java.util.stream.Collectors.toMap(d -> d.get("id").stringValue(), d -> d));
    }

    private List<JsonNode> fetch(DocumentFetcher fetcher, String caller, String... ids) {
        Mono<List<JsonNode>> fetch = fetcher.fetch(List.of(ids));
        return (caller == null ? fetch : as(caller, fetch)).block(Duration.ofSeconds(5));
    }

    @Test
    void theCacheIsBoundedByTheMemoryItsDocumentsTakeNotByTheirNumber() {
        // products with 5,000 characters of description: 20 of them take ~100 KB once parsed
        PopulateCache small = new PopulateCache(Duration.ofSeconds(1), 30_000, new CachedResources(ShopApi.api()), nanos::get);
        String description = "x".repeat(5000);
        DocumentFetcher large = ids -> Mono.fromSupplier(() -> ids.stream().<JsonNode>map(id -> JSON.createObjectNode()
                .put("id", id).put("title", "t").put("description", description)).toList());
        DocumentFetcher cached = small.cached(PRODUCT, large);

        for (int i = 0; i < 20; i++) {
            fetch(cached, null, id('b', i));
        }

        assertThat(small.weight()).isPositive().isLessThanOrEqualTo(30_000);
        assertThat(small.size()).isBetween(1L, 6L);
    }

    @Test
    void whenEveryIdIsCachedThenNoCallIsMade() {
        DocumentFetcher cached = cache.cached(USER, users);

        fetch(cached, A, A, B);
        List<JsonNode> again = fetch(cached, A, B, A);

        assertThat(calls).containsExactly(List.of(A, B));
        assertThat(byId(again)).containsOnlyKeys(A, B);
    }

    @Test
    void whenSomeIdsAreCachedThenOneCallAsksForTheOthersOnly() {
        DocumentFetcher cached = cache.cached(USER, users);

        fetch(cached, A, A);
        List<JsonNode> answer = fetch(cached, A, A, B, C);

        assertThat(calls).containsExactly(List.of(A), List.of(B, C));
        assertThat(byId(answer)).containsOnlyKeys(A, B);
    }

    @Test
    void anIdFoundMissingIsCachedAsMissing() {
        DocumentFetcher cached = cache.cached(USER, users);

        fetch(cached, A, C);
        List<JsonNode> again = fetch(cached, A, C);

        assertThat(calls).containsExactly(List.of(C));
        assertThat(again).isEmpty();
    }

    @Test
    void aFailedLookupIsNeverCached() {
        List<List<String>> failing = new CopyOnWriteArrayList<>();
        DocumentFetcher cached = cache.cached(USER, ids -> {
            failing.add(ids);
            return Mono.error(new IllegalStateException("user-service is down"));
        });

        as(A, cached.fetch(List.of(A, B))).as(StepVerifier::create).expectError(IllegalStateException.class).verify();
        as(A, cached.fetch(List.of(A, B))).as(StepVerifier::create).expectError(IllegalStateException.class).verify();

        assertThat(failing).containsExactly(List.of(A, B), List.of(A, B));
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryLivesTheTtlFromItsLookupsStart() {
        DocumentFetcher cached = cache.cached(USER, users);
        duringCall = () -> nanos.addAndGet(Duration.ofMillis(600).toNanos()); // the lookup takes 600 ms

        fetch(cached, A, A);
        duringCall = () -> {
        };
        nanos.addAndGet(Duration.ofMillis(399).toNanos()); // 999 ms after the lookup started
        fetch(cached, A, A);
        assertThat(calls).hasSize(1);

        nanos.addAndGet(Duration.ofMillis(1).toNanos()); // 1 s after
        fetch(cached, A, A);
        assertThat(calls).hasSize(2);
    }

    @Test
    void aLookupSlowerThanTheTtlKeepsNothing() {
        DocumentFetcher cached = cache.cached(USER, users);
        duringCall = () -> nanos.addAndGet(Duration.ofMillis(1000).toNanos());

        fetch(cached, A, A);

        assertThat(cache.size()).isZero();
    }

    @Test
    void oneUsersWholeViewNeverReachesAnother() {
        DocumentFetcher cached = cache.cached(USER, users);

        JsonNode ownView = fetch(cached, A, A).get(0);
        JsonNode othersView = fetch(cached, B, A).get(0);
        JsonNode anonymousView = fetch(cached, null, A).get(0);

        assertThat(ownView.has("email")).isTrue();
        assertThat(othersView.has("email")).isFalse();
        assertThat(anonymousView.has("email")).isFalse();
        assertThat(calls).containsExactly(List.of(A), List.of(A), List.of(A));
        // and each viewer's own view is cached for that viewer
        assertThat(fetch(cached, A, A).get(0).has("email")).isTrue();
        assertThat(fetch(cached, B, A).get(0).has("email")).isFalse();
        assertThat(calls).hasSize(3);
    }

    @Test
    void anonymousCallersAreOneViewer() {
        DocumentFetcher cached = cache.cached(USER, users);

        fetch(cached, null, A);
        fetch(cached, null, A);

        assertThat(calls).hasSize(1);
    }

    @Test
    void productsAreCachedOnceForEveryViewer() {
        DocumentFetcher cached = cache.cached(PRODUCT, products);
        String product = id('b', 1);

        fetch(cached, A, product);
        fetch(cached, B, product);
        fetch(cached, null, product);

        assertThat(calls).hasSize(1);
    }

    @Test
    void aWriteMakesTheDocumentStaleForEveryViewer() {
        DocumentFetcher cached = cache.cached(USER, users);
        fetch(cached, A, A);
        fetch(cached, B, A);

        cache.invalidate(List.of(new Mark(USER, Mark.ID, A)));
        name = "renamed";

        assertThat(fetch(cached, A, A).get(0).get("name").stringValue()).isEqualTo("renamed " + A);
        assertThat(fetch(cached, B, A).get(0).get("name").stringValue()).isEqualTo("renamed " + A);
        assertThat(calls).hasSize(4);
        fetch(cached, B, A);
        assertThat(calls).hasSize(4);
    }

    @Test
    void aLookupThatStartedBeforeAWriteDoesNotPutTheOldDocumentBack() {
        DocumentFetcher cached = cache.cached(USER, users);
        // the write is answered while the lookup is in flight; the lookup answers what it read before
        duringCall = () -> cache.invalidate(List.of(new Mark(USER, Mark.ID, A)));
        fetch(cached, A, A);
        duringCall = () -> {
        };
        name = "renamed";

        assertThat(fetch(cached, A, A).get(0).get("name").stringValue()).isEqualTo("renamed " + A);
        assertThat(calls).hasSize(2);
    }

    @Test
    void aLookupThatStartedAfterAWriteIsCached() {
        DocumentFetcher cached = cache.cached(USER, users);
        cache.invalidate(List.of(new Mark(USER, Mark.ID, A)));

        fetch(cached, A, A);
        fetch(cached, A, A);

        assertThat(calls).hasSize(1);
    }

    @Test
    void deletingAnOwnerMakesItsProductsStaleEvenThoseInFlight() {
        DocumentFetcher cached = cache.cached(PRODUCT, products);
        String cachedBefore = id('b', 1);
        String inFlight = id('b', 2);
        fetch(cached, A, cachedBefore);
        List<Mark> userDeleted = new CachedResources(ShopApi.api()).touchedBy(org.springframework.http.HttpMethod.DELETE, "/api/users/" + A);
        duringCall = () -> cache.invalidate(userDeleted);
        fetch(cached, A, inFlight);
        duringCall = () -> {
        };

        fetch(cached, B, cachedBefore, inFlight);

        assertThat(calls).containsExactly(List.of(cachedBefore), List.of(inFlight), List.of(cachedBefore, inFlight));
    }

    @Test
    void aTtlOfZeroIsNoCacheAtAll() {
        PopulateCache off = new PopulateCache(Duration.ZERO, 1_000_000, new CachedResources(ShopApi.api()), nanos::get);

        assertThat(off.enabled()).isFalse();
        assertThat(off.cached(USER, users)).isSameAs(users);
    }

    @Test
    void hitsAndMissesAreCountedPerId() {
        MeterRegistry registry = new SimpleMeterRegistry();
        cache.bindTo(registry);
        DocumentFetcher cached = cache.cached(USER, users);

        fetch(cached, A, A, B);
        fetch(cached, A, A, B, C);

        assertThat(registry.get("cache.gets").tag("cache", PopulateCache.NAME).tag("result", "miss")
                .functionCounter().count()).isEqualTo(3);
        assertThat(registry.get("cache.gets").tag("cache", PopulateCache.NAME).tag("result", "hit")
                .functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.size").tag("cache", PopulateCache.NAME).gauge().value()).isEqualTo(3);
    }

    @Test
    void theEngineNeverChangesACachedDocument() {
        DocumentFetcher cachedProducts = cache.cached(PRODUCT, products);
        DocumentFetcher cachedUsers = cache.cached(USER, users);
        PopulateEngine engine = new PopulateEngine(Map.of(USER, cachedUsers, PRODUCT, cachedProducts), 100, 4,
                Duration.ofSeconds(5), ShopApi::isId, Schedulers.parallel());
        String product = id('b', 1);
        ObjectNode cart = JSON.createObjectNode();
        cart.withArray("items").addObject().put("productId", product).put("quantity", 1);
        cart.withArray("items").addObject().put("productId", product).put("quantity", 2);

        PopulateResult result = as(B, engine.populate(cart, Shape.ITEM, new Planner(ShopApi.resources(), 3)
                .plan(ShopApi.CART, PopulateSpecParser.parse(List.of("items.productId.userId")))))
                .block(Duration.ofSeconds(5));
        ((ObjectNode) result.body().get("items").get(0).get("productId")).put("title", "changed by the client");
        ((ObjectNode) result.body().get("items").get(0).get("productId").get("userId")).put("name", "changed");

        assertThat(result.body().get("items").get(1).get("productId").get("userId").get("name").stringValue())
                .isEqualTo("user " + A);
        JsonNode cachedProduct = fetch(cachedProducts, B, product).get(0);
        JsonNode cachedOwner = fetch(cachedUsers, B, A).get(0);
        assertThat(calls).hasSize(2);
        assertThat(cachedProduct.get("userId").isString()).isTrue();
        assertThat(cachedProduct.get("title").stringValue()).isEqualTo("user " + product);
        assertThat(cachedOwner.get("name").stringValue()).isEqualTo("user " + A);
    }
}
