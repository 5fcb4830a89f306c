package com.example.shop.gateway.populate.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.example.shop.gateway.populate.ShopSchema;

/**
 * What the entity cache must know of the shop's resources, declared once: whose documents are the same
 * for every caller, and which routed writes make which cached documents stale.
 */
final class CachedResources {

    /**
     * Resources whose documents every caller sees alike (product-service answers a {@code ProductResponse}
     * to anyone), cached once for all. Any other resource is cached per viewer: user-service answers the
     * caller whole and every other user's public view.
     */
    static final Set<String> SHARED = Set.of(ShopSchema.PRODUCT);

    /**
     * Fields of a resource naming an owner whose deletion deletes the document: deleting a user deletes the
     * user's products.
     */
    static final Map<String, String> OWNER = Map.of(ShopSchema.PRODUCT, "userId");

    private static final PathPattern USER = PathPatternParser.defaultInstance.parse("/api/users/{id}/**");

    private static final PathPattern ONE_USER = PathPatternParser.defaultInstance.parse("/api/users/{id}");

    private static final PathPattern PRODUCT = PathPatternParser.defaultInstance.parse("/api/products/{id}/**");

    /**
     * A set of cached documents a write makes stale: those of {@code resource} whose {@code field} is
     * {@code value} ({@code id} for one document by id).
     */
    record Mark(String resource, String field, String value) {

        static final String ID = "id";
    }

    private CachedResources() {
    }

    /**
     * What a routed request to {@code path} with {@code method} makes stale: a write under a user
     * ({@code /api/users/{id}}, its cart included) or a product ({@code /api/products/{id}}) makes that
     * document stale; deleting a user also makes its products stale. Reads, and creations (which have no id
     * yet), make nothing stale.
     */
    static List<Mark> touchedBy(HttpMethod method, String path) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return List.of();
        }
        PathContainer container = PathContainer.parsePath(path);
        List<Mark> marks = new ArrayList<>();
        PathPattern.PathMatchInfo user = USER.matchAndExtract(container);
        if (user != null) {
            String id = user.getUriVariables().get("id");
            marks.add(new Mark(ShopSchema.USER, Mark.ID, id));
            if (method == HttpMethod.DELETE && ONE_USER.matches(container)) {
                OWNER.forEach((resource, field) -> marks.add(new Mark(resource, field, id)));
            }
        }
        PathPattern.PathMatchInfo product = PRODUCT.matchAndExtract(container);
        if (product != null) {
            marks.add(new Mark(ShopSchema.PRODUCT, Mark.ID, product.getUriVariables().get("id")));
        }
        return marks;
    }
}
