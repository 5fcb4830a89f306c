package com.example.shop.gateway.config;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.populate.PopulateEngine;
import com.example.shop.gateway.populate.PopulateProperties;
import com.example.shop.gateway.populate.ResourceSchema;
import com.example.shop.gateway.populate.ShopSchema;
import com.example.shop.gateway.populate.cache.PopulateCache;
import com.example.shop.gateway.product.ProductClient;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.routing.PopulatableEndpoints;
import com.example.shop.gateway.routing.PopulateFilter;
import com.example.shop.gateway.routing.PopulateMetrics;
import com.example.shop.gateway.user.UserClient;
import com.example.shop.gateway.web.AnswerMemory;
import com.example.shop.gateway.web.GatewayJson;

/** Puts the populate engine together: the shop's schema, its settings, and a fetcher per resource. */
@Configuration(proxyBeanMethods = false)
public class PopulateConfiguration {

    @Bean
    ResourceSchema resourceSchema() {
        return ShopSchema.resources();
    }

    @Bean
    Planner planner(ResourceSchema schema, PopulateProperties properties) {
        return new Planner(schema, properties.maxDepth());
    }

    @Bean
    PopulateMetrics populateMetrics(MeterRegistry registry) {
        return new PopulateMetrics(registry);
    }

    @Bean
    PopulateEngine populateEngine(ResourceSchema schema, PopulateProperties properties, UserClient users,
            ProductClient products, PopulateMetrics metrics, PopulateCache cache) {
        return new PopulateEngine(Map.of(
                        ShopSchema.USER, cache.cached(ShopSchema.USER, metrics.metered(ShopSchema.USER, fetcher(users, properties))),
                        ShopSchema.PRODUCT, cache.cached(ShopSchema.PRODUCT, metrics.metered(ShopSchema.PRODUCT, fetcher(products, properties)))),
                Map.of(ShopSchema.PRODUCT, metrics.meteredLists(ShopSchema.PRODUCT, properties.fetchMode().listFetcher(products))),
                properties.batchSize(), properties.lookupConcurrency(), properties.budget(), ShopSchema::isId,
                Schedulers.parallel())
                .requireFetchersFor(schema);
    }

    private static DocumentFetcher fetcher(BackendClient backend, PopulateProperties properties) {
        return properties.fetchMode().fetcher(backend, backend::fetchOne);
    }

    @Bean
    PopulateFilter populateFilter(Planner planner, PopulateEngine engine, GatewayJson json,
            PopulateProperties properties, AnswerMemory memory, PopulateMetrics metrics) {
        return new PopulateFilter(new PopulatableEndpoints(ShopSchema.ENDPOINTS), planner, engine, json, properties,
                memory, metrics);
    }
}
