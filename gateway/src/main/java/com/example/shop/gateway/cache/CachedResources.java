package com.example.shop.gateway.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.example.shop.gateway.api.ApiDeclaration;
import com.example.shop.gateway.api.PublicApi;

/**
 * What the entity cache must know of the shop's resources, from the public API's declaration: whose documents
 * are the same for every caller ({@code shared}), which reference field names an owner whose deletion deletes
 * the document ({@code owner}), and so which routed writes make which cached documents stale.
 */
final class CachedResources {

    /**
     * A set of cached documents a write makes stale: those of {@code resource} whose {@code field} is
     * {@code value} ({@code id} for one document by id).
     */
    record Mark(String resource, String field, String value) {

        static final String ID = "id";
    }

    /** A resource's documents at the gateway: one ({@code /api/users/{id}}) and anything under one. */
    private record Written(String resource, PathPattern one, PathPattern under) {
    }

    /** A resource's reference field naming an owner. */
    private record Owned(String resource, String field) {
    }

    private final Set<String> shared;

    private final Map<String, String> owners;

    private final List<Written> written = new ArrayList<>();

    /** By owner resource: the resources it owns, each with its owner field. */
    private final Map<String, List<Owned>> owned = new LinkedHashMap<>();

    CachedResources(PublicApi api) {
        this.shared = Set.copyOf(api.shared());
        this.owners = Map.copyOf(api.owners());
        api.resources().forEach((name, resource) -> {
            if (resource.path() != null && resource.lookup() != null) {
                String one = ApiDeclaration.PREFIX + resource.path() + "/{id}";
                written.add(new Written(name, PathPatternParser.defaultInstance.parse(one),
                        PathPatternParser.defaultInstance.parse(one + "/**")));
            }
        });
        api.owners().forEach((resource, field) -> owned
                .computeIfAbsent(api.resources().get(resource).references().get(field), owner -> new ArrayList<>())
                .add(new Owned(resource, field)));
    }

    /**
     * Resources whose documents every caller sees alike (product-service answers a {@code ProductResponse}
     * to anyone), cached once for all. Any other resource is cached per viewer: user-service answers the
     * caller whole and every other user's public view.
     */
    Set<String> shared() {
        return shared;
    }

    /** The field of {@code resource} naming an owner whose deletion deletes the document; null when none. */
    String owner(String resource) {
        return owners.get(resource);
    }

    /**
     * What a routed request to {@code path} with {@code method} makes stale: a write to or under a document
     * of a resource that populate looks up ({@code /api/users/{id}}, its cart included, or
     * {@code /api/products/{id}}) makes that document stale; deleting a document also makes the documents it
     * owns stale (a user's products). Reads, and creations (which have no id yet), make nothing stale.
     */
    List<Mark> touchedBy(HttpMethod method, String path) {
        if (PublicApi.isRead(method)) {
            return List.of();
        }
        PathContainer container = PathContainer.parsePath(path);
        List<Mark> marks = new ArrayList<>();
        for (Written resource : written) {
            PathPattern.PathMatchInfo match = resource.under().matchAndExtract(container);
            if (match != null) {
                String id = match.getUriVariables().get("id");
                marks.add(new Mark(resource.resource(), Mark.ID, id));
                if (method == HttpMethod.DELETE && resource.one().matches(container)) {
                    owned.getOrDefault(resource.resource(), List.of())
                            .forEach(owned -> marks.add(new Mark(owned.resource(), owned.field(), id)));
                }
            }
        }
        return marks;
    }
}
