package com.example.shop.gateway.routing;

import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.ListFetcher;
import com.example.shop.gateway.populate.PopulateLimitException;

/**
 * The populate step's figures, on {@code /actuator/prometheus}:
 * <ul>
 * <li>{@code gateway_populate_batches_total{target}}: batch lookups sent, per target resource (a retry
 * of a batch is not another batch; the attempts are in {@code http_client_requests});</li>
 * <li>{@code gateway_populate_batch_ids{target}}: how many ids each batch asked for (a distribution
 * summary with a histogram);</li>
 * <li>{@code gateway_populate_list_lookups_total{target}}: lookups that filled list fields (a user's
 * {@code products}), per target resource, and {@code gateway_populate_list_parents{target}}: how many parent
 * documents each one served;</li>
 * <li>{@code gateway_populate_shared_lookups_total{target,lookup}}: lookups that sent nothing but waited for an
 * identical one in flight ({@code shop.populate.share-in-flight-lookups}), per target resource and kind of lookup
 * ({@code batch} or {@code list}); the two counters above count the calls sent, so lookups asked are their sum;</li>
 * <li>{@code gateway_populate_unresolved_total{resource,path}}: responses sent with a path left as ids
 * (named in {@code Populate-Unresolved}), per resource and path. Only paths that planned are counted,
 * so the tags are bounded by the schema.</li>
 * <li>{@code gateway_populate_over_budget_total{resource,limit,when}}: answers refused with a 400 for going over
 * their budget ({@code limit}: documents or bytes; {@code when}: foreseen, before any backend call, or counted,
 * as the work went). Refusals for the memory of all answers in flight are {@code AnswerMemory}'s.</li>
 * </ul>
 */
public final class PopulateMetrics {

    private final MeterRegistry registry;

    public PopulateMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code fetcher}, counting each batch it is asked for and its size. */
    public DocumentFetcher metered(String target, DocumentFetcher fetcher) {
        Lookups batches = new Lookups(target, "gateway.populate.batches", "Batch lookups the populate step sent",
                sizes("gateway.populate.batch.ids", "Ids asked for in one batch lookup", "ids")
                        .publishPercentileHistogram());
        return chunk -> batches.counted(chunk.size(), () -> fetcher.fetch(chunk));
    }

    /** {@code fetcher}, counting each list lookup it is asked for and its parents. */
    public ListFetcher meteredLists(String target, ListFetcher fetcher) {
        Lookups lookups = new Lookups(target, "gateway.populate.list.lookups",
                "Lookups the populate step sent to fill list fields",
                sizes("gateway.populate.list.parents", "Parent documents served by one list lookup", "documents"));
        return (field, ids, options) -> lookups.counted(ids.size(), () -> fetcher.fetch(field, ids, options));
    }

    /**
     * What counts each lookup of {@code target} of a kind ({@code batch} or {@code list}) that joined one in flight;
     * registered at the first, as the counters below, so that a gateway that shares nothing shows none.
     */
    public Runnable shared(String target, String lookup) {
        Counter.Builder shared = Counter.builder("gateway.populate.shared.lookups")
                .description("Populate lookups that waited for an identical one in flight instead of calling the backend")
                .tag("target", target)
                .tag("lookup", lookup);
        return () -> shared.register(registry).increment();
    }

    private static DistributionSummary.Builder sizes(String name, String description, String unit) {
        return DistributionSummary.builder(name).description(description).baseUnit(unit);
    }

    /** The one decorator of a kind of lookup: counts each lookup when it is sent and records its size. */
    private final class Lookups {

        private final Counter sent;

        private final DistributionSummary sizes;

        Lookups(String target, String name, String description, DistributionSummary.Builder sizes) {
            this.sent = Counter.builder(name).description(description).tag("target", target).register(registry);
            this.sizes = sizes.tag("target", target).register(registry);
        }

        <T> Mono<T> counted(int size, Supplier<Mono<T>> lookup) {
            return Mono.defer(() -> {
                sent.increment();
                sizes.record(size);
                return lookup.get();
            });
        }
    }

    /** Counts an answer of {@code resource} refused for going over its budget. */
    void overBudget(String resource, PopulateLimitException over) {
        Counter.builder("gateway.populate.over.budget")
                .description("Populated answers refused (400) for going over their budget of documents or bytes")
                .tag("resource", resource)
                .tag("limit", over.limit().unit())
                .tag("when", over.foreseen() ? "foreseen" : "counted")
                .register(registry)
                .increment();
    }

    /** Counts each path of {@code resource} that a response left unresolved. */
    void unresolved(String resource, List<String> paths) {
        for (String path : paths) {
            Counter.builder("gateway.populate.unresolved")
                    .description("Responses sent with a populate path left as ids")
                    .tag("resource", resource)
                    .tag("path", path)
                    .register(registry)
                    .increment();
        }
    }
}
