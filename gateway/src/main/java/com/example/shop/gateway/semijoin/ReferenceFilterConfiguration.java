package com.example.shop.gateway.semijoin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.remote.BackendClients;
import com.example.shop.gateway.web.GatewayJson;

/**
 * The filters through a reference ({@code /api/products?userId.name=eq.Ada}): what the public API declares they go
 * through ({@link ReferenceFilters}), the filter that runs them on the routed pages, and their lines in the API
 * document ({@link ReferenceFilterDocumentation}).
 */
@Configuration(proxyBeanMethods = false)
public class ReferenceFilterConfiguration {

    @Bean
    ReferenceFilters referenceFilters(PublicApi api) {
        return new ReferenceFilters(api);
    }

    @Bean
    ReferenceFilterDocumentation referenceFilterDocumentation(ReferenceFilters filters,
            ReferenceFilterProperties properties) {
        return new ReferenceFilterDocumentation(filters, properties);
    }

    @Bean
    ReferenceFilterGlobalFilter referenceFilterGlobalFilter(ReferenceFilters filters, PublicApi api,
            BackendClients clients, GatewayJson json, ReferenceFilterProperties properties) {
        return new ReferenceFilterGlobalFilter(filters, api, clients, json, properties);
    }
}
