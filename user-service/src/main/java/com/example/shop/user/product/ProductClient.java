package com.example.shop.user.product;

import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.example.shop.remote.RemoteExistence;
import com.example.shop.remote.RemoteService;
import com.example.shop.remote.RemoteServices;

/** product-service, as user-service needs it: does a product exist, and delete a deleted user's products. */
@Component
public class ProductClient {

    public static final String SERVICE = "product-service";

    private final RemoteService productService;

    public ProductClient(RemoteServices remoteServices) {
        this.productService = remoteServices.create(SERVICE);
    }

    /** Whether product-service knows the product; 503 when it cannot say. */
    public Mono<Boolean> exists(ObjectId productId) {
        return productService.exists("/products/{id}", productId.toHexString());
    }

    /** Completes if the product exists; a 422 naming {@code productId} if it does not. */
    public Mono<Void> requireExists(ObjectId productId) {
        return RemoteExistence.require(exists(productId), "productId", "product " + productId + " does not exist");
    }

    /**
     * Deletes every product of a deleted user (idempotent, so retried); completes with the number deleted
     * now once product-service answers 2xx, and fails otherwise.
     */
    public Mono<Long> deleteProductsOf(ObjectId userId) {
        return productService.calls().idempotent(productService.webClient().delete()
                .uri("/internal/users/{userId}/products", userId.toHexString())
                .retrieve()
                .bodyToMono(ProductsDeleted.class)
                .map(ProductsDeleted::productsDeleted)
                .defaultIfEmpty(0L));
    }
}
