package com.example.shop.gateway.docs;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.remote.BackendClients;
import com.example.shop.gateway.semijoin.ReferenceFilterDocumentation;
import com.example.shop.gateway.web.GatewayJson;

/**
 * Serves the public API's document at {@code /api/v3/api-docs}; springdoc's Swagger UI, at
 * {@code /api/swagger-ui.html}, shows it (see {@code springdoc.*} in {@code application.yml}).
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsConfiguration {

    public static final String DOCUMENT_PATH = "/api/v3/api-docs";

    @Bean
    ApiDocument apiDocument(BackendClients backends, PublicApi api, Planner planner, GatewayJson json,
            ApiDocsProperties properties, ReferenceFilterDocumentation referenceFilters) {
        return new ApiDocument(List.copyOf(backends.all()), api, planner.maxDepth(), json, properties.refresh(),
                referenceFilters);
    }

    @Bean
    RouterFunction<ServerResponse> apiDocumentRoute(ApiDocument document, GatewayJson json) {
        return RouterFunctions.route()
                .GET(DOCUMENT_PATH, request -> document.document()
                        .flatMap(doc -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(json.write(doc))))
                .build();
    }
}
