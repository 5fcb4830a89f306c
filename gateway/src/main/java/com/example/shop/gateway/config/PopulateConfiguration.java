package com.example.shop.gateway.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.web.ObjectIds;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.api.Viewers;
import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.ListFetcher;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.populate.PopulateEngine;
import com.example.shop.gateway.populate.PopulateProperties;
import com.example.shop.gateway.populate.ResourceFetchers;
import com.example.shop.gateway.populate.ResourceSchema;
import com.example.shop.gateway.populate.SharedLookups;
import com.example.shop.gateway.cache.PopulateCache;
import com.example.shop.gateway.routing.PopulateGatewayFilterFactory;
import com.example.shop.gateway.routing.PopulateMetrics;
import com.example.shop.gateway.web.AnswerMemory;
import com.example.shop.gateway.web.GatewayJson;

/**
 * Puts the populate engine together from the public API's declaration: its schema, a fetcher per resource that
 * has a lookup (metered, its identical lookups in flight shared unless {@code shop.populate.share-in-flight-lookups}
 * is false, behind the cache) and a list fetcher per resource that list fields gather (metered, shared), and populate's
 * filter factory, which the routes apply with the endpoints each populates. Ids are MongoDB ObjectIds in the services' one spelling ({@link ObjectIds}); anything
 * else in a reference field is left alone (and never sent to a service, which would refuse it).
 */
@Configuration(proxyBeanMethods = false)
public class PopulateConfiguration {

    @Bean
    ResourceSchema resourceSchema(PublicApi api) {
        return api.schema();
    }

    @Bean
    Planner planner(ResourceSchema schema, PopulateProperties properties) {
        return new Planner(schema, properties.maxDepth());
    }

    @Bean
    PopulateMetrics populateMetrics(MeterRegistry registry) {
        return new PopulateMetrics(registry);
    }

    /** Identical lookups in flight shared between requests, per viewer, unless the setting turns it off. */
    @Bean
    SharedLookups sharedLookups(PublicApi api, PopulateProperties properties) {
        return new SharedLookups(properties.shareInFlightLookups(), new Viewers(api.shared())::of);
    }

    @Bean
    PopulateEngine populateEngine(PublicApi api, ResourceSchema schema, PopulateProperties properties,
            ResourceFetchers fetchers, PopulateMetrics metrics, PopulateCache cache, SharedLookups shared) {
        // each lookup: the cache, then a call in flight to share, then the backend (metered); a write's lookups
        // (fresh) straight to the backend
        Map<String, DocumentFetcher> documents = new LinkedHashMap<>();
        api.lookups().keySet().forEach(resource -> {
            DocumentFetcher backend = metrics.metered(resource, fetchers.documents(resource));
            documents.put(resource, DocumentFetcher.freshOr(backend,
                    cache.cached(resource, shared.documents(resource, backend, metrics.shared(resource, "batch")))));
        });
        Map<String, ListFetcher> lists = new LinkedHashMap<>();
        schema.listTargets().forEach(resource -> {
            ListFetcher backend = metrics.meteredLists(resource, fetchers.lists(resource));
            lists.put(resource, ListFetcher.freshOr(backend,
                    shared.lists(resource, backend, metrics.shared(resource, "list"))));
        });
        return new PopulateEngine(documents, lists, properties.batchSize(), properties.lookupConcurrency(),
                properties.budget(), ObjectIds::isValid, Schedulers.parallel())
                .requireFetchersFor(schema);
    }

    /** Populate as a route's filter; each route that has populatable endpoints applies it with its own. */
    @Bean
    PopulateGatewayFilterFactory populateGatewayFilterFactory(Planner planner, PopulateEngine engine, GatewayJson json,
            PopulateProperties properties, AnswerMemory memory, PopulateMetrics metrics) {
        return new PopulateGatewayFilterFactory(planner, engine, json, properties, memory, metrics);
    }
}
