package com.example.shop.gateway.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpMethod;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.api.Viewers;
import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.JsonSize;
import com.example.shop.gateway.cache.CachedResources.Mark;

/**
 * The populate step's entity cache (Caffeine): the documents its lookups found, and the ids they found
 * missing, by resource, id and viewer ({@link Viewers}: the caller as the backend sees it, or one for all on a
 * resource every caller sees alike), so that one caller's view of a document never reaches another. Failed
 * lookups are never kept.
 *
 * <p>An entry lives {@code ttl} from the start of the lookup that brought it. A routed write makes what it
 * touches stale for every viewer ({@link #invalidate(List)}): each lookup is stamped at its start with a
 * number from one sequence, each invalidation records the next number for what it touches, and an entry
 * stamped before the latest invalidation of its document is a miss. So a lookup that started before a write
 * and ends after it cannot put the old document back. An invalidation record lives {@code ttl} too: no entry
 * stamped before it can outlive that.
 *
 * <p>Hits and misses are counted per id asked (Micrometer's {@code cache.gets} of {@value #NAME}).
 */
public final class PopulateCache {

    /** The cache's name in its metrics ({@code cache="populate-lookups"}). */
    public static final String NAME = "populate-lookups";

    /** The key, the entry and Caffeine's node around a document, roughly. */
    private static final int ENTRY_BYTES = 200;

    /** A document as one viewer sees it. */
    record Key(String resource, String id, String viewer) {
    }

    /**
     * What a lookup answered for one id.
     *
     * @param stamp    the lookup's number in the sequence, taken at its start
     * @param started  the ticker's time at the lookup's start
     * @param document the document; {@code null} when it does not exist
     */
    record Entry(long stamp, long started, ObjectNode document) {
    }

    private final Duration ttl;

    private final CachedResources resources;

    private final Viewers viewers;

    private final Ticker ticker;

    private final AtomicLong sequence = new AtomicLong();

    private final ConcurrentStatsCounter stats = new ConcurrentStatsCounter();

    private final Cache<Key, Entry> entries;

    /** By what a write touched: the number of its latest invalidation. */
    private final Cache<Mark, Long> invalidations;

    /**
     * @param ttl        how long an entry lives from its lookup's start; zero turns the cache off
     * @param maxWeight  the most memory the entries may take, in bytes ({@link #weight})
     * @param resources  which resources every caller sees alike, and which have owners
     * @param ticker     the clock ({@link Ticker#systemTicker()} outside tests)
     */
    PopulateCache(Duration ttl, long maxWeight, CachedResources resources, Ticker ticker) {
        this.ttl = ttl;
        this.resources = resources;
        this.viewers = new Viewers(resources.shared());
        this.ticker = ticker;
        long ttlNanos = ttl.toNanos();
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxWeight)
                .weigher((Key key, Entry entry) -> weight(entry))
                .expireAfter(new Expiry<Key, Entry>() {
                    @Override
                    public long expireAfterCreate(Key key, Entry entry, long currentTime) {
                        return Math.max(0, ttlNanos - (currentTime - entry.started()));
                    }

                    @Override
                    public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, entry, currentTime);
                    }

                    @Override
                    public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(ticker)
                .recordStats(() -> stats)
                .build();
        // not bounded in size: dropping a record early could let a stale entry be served; there are as many
        // as writes through the gateway in one ttl
        this.invalidations = Caffeine.newBuilder().expireAfterWrite(ttl).ticker(ticker).build();
    }

    /** The cache of the public API's resources with these settings. */
    public static PopulateCache of(PopulateCacheProperties properties, PublicApi api) {
        return new PopulateCache(properties.ttl(), properties.maxSize().toBytes(), new CachedResources(api),
                Ticker.systemTicker());
    }

    /** What a routed request makes stale ({@link WriteInvalidationFilter}). */
    List<Mark> touchedBy(HttpMethod method, String path) {
        return resources.touchedBy(method, path);
    }

    /** What an entry holds in memory, roughly: its document as a parsed tree, and the key and entry around it. */
    static int weight(Entry entry) {
        long document = entry.document() == null ? 0 : JsonSize.of(entry.document()).inMemory();
        return (int) Math.min(Integer.MAX_VALUE, ENTRY_BYTES + document);
    }

    /** Whether anything is cached ({@code ttl} above zero). */
    public boolean enabled() {
        return !ttl.isZero() && !ttl.isNegative();
    }

    public Duration ttl() {
        return ttl;
    }

    /** Binds {@code cache.gets}, {@code cache.evictions}, {@code cache.size} and the like of {@value #NAME}. */
    public void bindTo(MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, entries, NAME);
    }

    /**
     * {@code fetcher} with this cache in front: ids found fresh in the cache are answered from it, the others
     * asked of {@code fetcher} in one call; {@code fetcher} itself when the cache is off. A run that asks for fresh
     * lookups (a write's answer, which this cache does not know is written until that answer goes out) goes around
     * it ({@link DocumentFetcher#freshOr}, where the fetchers are put together).
     */
    public DocumentFetcher cached(String resource, DocumentFetcher fetcher) {
        if (!enabled()) {
            return fetcher;
        }
        return ids -> viewers.of(resource).flatMap(viewer -> fetch(resource, viewer, ids, fetcher));
    }

    /** Makes every cached document {@code marks} name stale, for all viewers. */
    void invalidate(List<Mark> marks) {
        if (!enabled()) {
            return;
        }
        long stamp = sequence.incrementAndGet();
        marks.forEach(mark -> invalidations.asMap().merge(mark, stamp, Math::max));
    }

    /** Entries kept now, stale ones included until they are read or expire. */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /** The memory the entries are weighed at, in bytes, once pending evictions are done (for tests). */
    long weight() {
        entries.cleanUp();
        return entries.policy().eviction().flatMap(eviction -> eviction.weightedSize().stream().boxed().findFirst())
                .orElse(0L);
    }

    private Mono<List<JsonNode>> fetch(String resource, String viewer, List<String> ids, DocumentFetcher fetcher) {
        List<JsonNode> answer = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Entry entry = fresh(new Key(resource, id, viewer));
            if (entry == null) {
                missing.add(id);
            }
            else if (entry.document() != null) {
                answer.add(entry.document());
            }
        }
        stats.recordHits(ids.size() - missing.size());
        stats.recordMisses(missing.size());
        if (missing.isEmpty()) {
            return Mono.just(answer);
        }
        // the time first: an invalidation stamped after this lookup is recorded after its start, so it outlives it
        long started = ticker.read();
        long stamp = sequence.incrementAndGet();
        return fetcher.fetch(missing).map(documents -> {
            keep(resource, viewer, missing, documents, stamp, started);
            answer.addAll(documents);
            return answer;
        });
    }

    /** The entry of {@code key}, unless absent, expired or stale. */
    private Entry fresh(Key key) {
        Entry entry = entries.policy().getIfPresentQuietly(key);
        if (entry == null) {
            return null;
        }
        if (stale(key.resource(), key.id(), entry)) {
            entries.asMap().remove(key, entry);
            return null;
        }
        return entry;
    }

    private boolean stale(String resource, String id, Entry entry) {
        if (invalidatedAfter(new Mark(resource, Mark.ID, id), entry.stamp())) {
            return true;
        }
        String ownerField = resources.owner(resource);
        if (ownerField == null || entry.document() == null) {
            return false;
        }
        JsonNode owner = entry.document().get(ownerField);
        return owner != null && owner.isString()
                && invalidatedAfter(new Mark(resource, ownerField, owner.stringValue()), entry.stamp());
    }

    private boolean invalidatedAfter(Mark mark, long stamp) {
        Long invalidated = invalidations.getIfPresent(mark);
        return invalidated != null && invalidated > stamp;
    }

    private void keep(String resource, String viewer, List<String> asked, List<JsonNode> documents, long stamp,
            long started) {
        if (ticker.read() - started >= ttl.toNanos()) {
            return;
        }
        Map<String, ObjectNode> found = new HashMap<>();
        for (JsonNode document : documents) {
            JsonNode id = document.get("id");
            if (document instanceof ObjectNode object && id != null && id.isString()) {
                found.put(id.stringValue(), object);
            }
        }
        for (String id : asked) {
            Entry entry = new Entry(stamp, started, found.get(id));
            if (!stale(resource, id, entry)) {
                entries.asMap().merge(new Key(resource, id, viewer), entry,
                        (old, young) -> young.stamp() > old.stamp() ? young : old);
            }
        }
    }
}
