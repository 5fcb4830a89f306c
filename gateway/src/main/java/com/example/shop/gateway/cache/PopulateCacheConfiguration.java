package com.example.shop.gateway.cache;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.SharedLookups;

/**
 * The populate step's entity cache and the filter that keeps it, and the lookups shared in flight, in step with writes
 * through the gateway.
 */
@Configuration(proxyBeanMethods = false)
public class PopulateCacheConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PopulateCacheConfiguration.class);

    @Bean
    PopulateCache populateCache(PopulateCacheProperties properties, PublicApi api, MeterRegistry registry) {
        PopulateCache cache = PopulateCache.of(properties, api);
        if (cache.enabled()) {
            cache.bindTo(registry);
            log.info("Populate cache on: lookups kept {} from their start, at most {} of documents (resource, id, viewer)",
                    properties.ttl(), properties.maxSize());
        }
        else {
            log.info("Populate cache off (shop.populate.cache.ttl=0): every lookup goes to its backend");
        }
        return cache;
    }

    @Bean
    WriteInvalidationFilter writeInvalidationFilter(PopulateCache cache, SharedLookups shared, MeterRegistry registry) {
        return new WriteInvalidationFilter(cache, shared, registry);
    }
}
