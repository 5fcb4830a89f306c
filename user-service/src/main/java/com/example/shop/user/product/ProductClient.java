package com.example.shop.user.product;

import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.example.shop.remote.RemoteExistence;
import com.example.shop.remote.RemoteService;
import com.example.shop.remote.RemoteServices;
import com.example.shop.remote.ResilientCalls;
import com.example.shop.web.ApiException;

/**
 * product-service, as user-service needs it: does a product exist, and delete a deleted user's products. The
 * calls are {@link ProductServiceApi}'s, each guarded by the service's resilience4j {@link ResilientCalls}.
 */
@Component
public class ProductClient {

    public static final String SERVICE = "product-service";

    private final ProductServiceApi api;

    private final ResilientCalls calls;

    public ProductClient(RemoteServices remoteServices) {
        RemoteService productService = remoteServices.create(SERVICE);
        this.api = productService.client(ProductServiceApi.class);
        this.calls = productService.calls();
    }

    /**
     * Whether product-service knows the product: 2xx yes, 404 no; any other answer, a time-out or an open
     * circuit is a 503 naming the service, never a "no". Retried, since a read is idempotent.
     */
    public Mono<Boolean> exists(ObjectId productId) {
        return calls.idempotent(RemoteExistence.of(api.product(productId.toHexString())));
    }

    /** Completes if the product exists; a 422 naming {@code productId} if it does not; a 503 if it cannot say. */
    public Mono<Void> requireExists(ObjectId productId) {
        return RemoteExistence.require(exists(productId),
                () -> ApiException.unprocessable("productId", "product " + productId + " does not exist"));
    }

    /**
     * Deletes every product of a deleted user (idempotent, so retried); completes with the number deleted
     * now once product-service answers 2xx, and fails otherwise.
     */
    public Mono<Long> deleteProductsOf(ObjectId userId) {
        return calls.idempotent(api.deleteProductsOf(userId.toHexString())
                .map(ProductsDeleted::productsDeleted)
                .defaultIfEmpty(0L));
    }
}
