package com.example.shop.gateway.product;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriBuilder;

import com.example.shop.remote.RemoteServices;
import com.example.shop.gateway.populate.ListFetcher;
import com.example.shop.gateway.populate.ListOptions;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.remote.BackendsProperties;
import com.example.shop.gateway.web.GatewayJson;

/**
 * product-service: routes {@code /api/products/**}; populates through {@code GET /products?ids=}, and a
 * user's {@code products} through {@code GET /products/owned?userId=a,b,c} (each owner's products, sorted
 * and limited per owner, or counted). Products are public: lookups carry the caller's own token, or
 * nothing (product-service does not trust the gateway's service credential).
 */
@Component
public class ProductClient extends BackendClient implements ListFetcher {

    public static final String NAME = "product-service";

    /** The reference field of a product that lists can be gathered by: its owner. */
    static final String OWNER = "userId";

    public ProductClient(RemoteServices remote, BackendsProperties properties, GatewayJson json) {
        super(NAME, "/products", List.of(), remote, NONE, properties, json);
    }

    /** Each owner's products ({@code [{"userId", "products": [...]}]}), or their number ({@code "count"}). */
    @Override
    public Mono<Map<String, JsonNode>> fetch(String field, List<String> ids, ListOptions options) {
        if (!OWNER.equals(field)) {
            return Mono.error(new IllegalArgumentException("products are listed by " + OWNER + " only, not " + field));
        }
        return lookup(builder -> owned(builder, ids, options)).map(entries -> {
            Map<String, JsonNode> lists = new HashMap<>();
            for (JsonNode entry : entries) {
                JsonNode owner = entry.get(OWNER);
                JsonNode list = entry.get(options.count() ? "count" : "products");
                if (owner != null && owner.isString() && list != null) {
                    lists.put(owner.stringValue(), list);
                }
            }
            return lists;
        });
    }

    private URI owned(UriBuilder builder, List<String> ids, ListOptions options) {
        builder.path(resourcePath()).path("/owned").queryParam(OWNER, String.join(",", ids));
        if (options.count()) {
            return builder.queryParam("count", "true").build();
        }
        options.sort().forEach(key -> builder.queryParam("sort", key.field() + (key.descending() ? ",desc" : ",asc")));
        return builder.queryParam("limit", options.limit()).build();
    }
}
