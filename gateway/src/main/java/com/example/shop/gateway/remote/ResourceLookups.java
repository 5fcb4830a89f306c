package com.example.shop.gateway.remote;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.web.util.UriBuilder;

import com.example.shop.gateway.api.ApiDeclaration.ListField;
import com.example.shop.gateway.api.ApiDeclaration.Resource;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.ListFetcher;
import com.example.shop.gateway.populate.ListOptions;
import com.example.shop.gateway.populate.ResourceFetchers;
import com.example.shop.web.filter.Filter;

/**
 * The populate lookups of each resource as the public API declares them, on its backend's client: by id,
 * {@code GET <lookup>?ids=a,b,c} (an array of the documents found); a list field's documents for many
 * parents at once, {@code GET <list lookup>?<by>=a,b,c} with the filters, {@code sort}, {@code skip} and
 * {@code limit} (or the filters and {@code count=true}), answered by one entry per parent, {@code {"<by>": "a", "<field>": [...]}} (or
 * {@code "count": n}): product-service's {@code /products/owned?userId=}.
 */
public final class ResourceLookups implements ResourceFetchers {

    private final PublicApi api;

    private final BackendClients clients;

    public ResourceLookups(PublicApi api, BackendClients clients) {
        this.api = api;
        this.clients = clients;
    }

    @Override
    public DocumentFetcher documents(String resource) {
        Resource declared = declared(resource);
        if (declared.lookup() == null) {
            throw new IllegalArgumentException("resource " + resource + " has no lookup");
        }
        BackendClient backend = clients.get(declared.backend());
        return ids -> backend.lookup(builder -> builder.path(declared.lookup())
                .queryParam("ids", String.join(",", ids)).build());
    }

    @Override
    public ListFetcher lists(String resource) {
        BackendClient backend = clients.get(declared(resource).backend());
        Map<String, ListField> lists = api.listsOf(resource);
        return (field, ids, options) -> lists.entrySet().stream()
                .filter(list -> list.getValue().by().equals(field))
                .findFirst()
                .map(list -> fetch(backend, list.getKey(), list.getValue(), ids, options))
                .orElseGet(() -> Mono.error(new IllegalArgumentException(resource + " documents are listed by "
                        + lists.values().stream().map(ListField::by).distinct().toList() + " only, not " + field)));
    }

    private Resource declared(String resource) {
        Resource declared = api.resources().get(resource);
        if (declared == null) {
            throw new IllegalArgumentException("unknown resource " + resource);
        }
        return declared;
    }

    /** Each parent's list ({@code [{"<by>", "<field>": [...]}]}), or its number ({@code "count"}). */
    private static Mono<Map<String, JsonNode>> fetch(BackendClient backend, String field, ListField list,
            List<String> ids, ListOptions options) {
        return backend.lookup(builder -> uri(builder, list, ids, options)).map(entries -> {
            Map<String, JsonNode> lists = new HashMap<>();
            for (JsonNode entry : entries) {
                JsonNode parent = entry.get(list.by());
                JsonNode found = entry.get(options.count() ? "count" : field);
                if (parent != null && parent.isString() && found != null) {
                    lists.put(parent.stringValue(), found);
                }
            }
            return lists;
        });
    }

    /**
     * The list lookup's address: the parents, then each filter as the service's pages take it ({@code price=gte.100},
     * written again from what the gateway read, so that a bare list of ids is never taken for the parents), then
     * {@code count=true} or the order, {@code skip} (when not 0) and {@code limit}. Every value is a URI variable,
     * encoded whole: a filter's {@code &}, {@code +} or {@code %} reaches the service as the client wrote it.
     */
    private static URI uri(UriBuilder builder, ListField list, List<String> ids, ListOptions options) {
        Map<String, Object> values = new HashMap<>();
        builder.path(list.lookup()).queryParam(list.by(), String.join(",", ids));
        for (int i = 0; i < options.filters().size(); i++) {
            Filter filter = options.filters().get(i);
            values.put("f" + i, filter.written());
            builder.queryParam(filter.field().name(), "{f" + i + "}");
        }
        if (options.count()) {
            return builder.queryParam("count", "true").build(values);
        }
        options.sort().forEach(key -> builder.queryParam("sort", key.field() + (key.descending() ? ",desc" : ",asc")));
        if (options.skip() > 0) {
            builder.queryParam("skip", options.skip());
        }
        return builder.queryParam("limit", options.limit()).build(values);
    }
}
