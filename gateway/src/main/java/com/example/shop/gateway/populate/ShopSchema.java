package com.example.shop.gateway.populate;

import java.util.List;

import com.example.shop.web.ObjectIds;

/**
 * The shop's resources as the populate step knows them, declared once: which field refers to which
 * resource (and which list fields gather the documents that refer back), and which public GET endpoints
 * answer with which resource. What a caller may see of a populated document is not here: the services
 * decide it (the lookups carry the caller's token). Adding a reference is one line here (and a fetcher if
 * it points to a new resource).
 */
public final class ShopSchema {

    public static final String USER = "user";

    public static final String PRODUCT = "product";

    public static final String CART = "cart";

    /**
     * A public GET endpoint whose response can be populated.
     *
     * @param pattern  the gateway path, as a Spring path pattern
     * @param resource the resource its documents are
     * @param shape    one document, or an array or page of them
     */
    public record Endpoint(String pattern, String resource, Shape shape) {
    }

    public static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/api/users", USER, Shape.COLLECTION),
            new Endpoint("/api/users/{id}", USER, Shape.ITEM),
            new Endpoint("/api/users/{id}/cart", CART, Shape.ITEM),
            new Endpoint("/api/products", PRODUCT, Shape.COLLECTION),
            new Endpoint("/api/products/{id}", PRODUCT, Shape.ITEM));

    private ShopSchema() {
    }

    public static ResourceSchema resources() {
        return ResourceSchema.builder()
                .ref(PRODUCT, "userId", USER)
                .ref(CART, "items.productId", PRODUCT)
                .embed(USER, "cart", CART)
                // a user's products: the products whose userId is the user's id (product-service's /products/owned)
                .list(USER, "products", PRODUCT, "userId")
                // as product-service sorts its pages
                .sortable(PRODUCT, "title", "price")
                .build();
    }

    /**
     * Ids are MongoDB ObjectIds in the services' one spelling, 24 lower-case hex digits ({@link ObjectIds});
     * anything else in a reference field is left alone (and never sent to a service, which would refuse it).
     */
    public static boolean isId(String value) {
        return ObjectIds.isValid(value);
    }
}
