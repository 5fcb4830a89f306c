package com.example.shop.product.user;

import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.example.shop.remote.RemoteService;
import com.example.shop.remote.RemoteServices;
import com.example.shop.web.ApiException;

/** user-service, as product-service needs it: does a user exist, and take a deleted product out of every cart. */
@Component
public class UserClient {

    public static final String SERVICE = "user-service";

    private final RemoteService userService;

    public UserClient(RemoteServices remoteServices) {
        this.userService = remoteServices.create(SERVICE);
    }

    /** Whether user-service knows the user; 503 when it cannot say. */
    public Mono<Boolean> exists(ObjectId userId) {
        return userService.exists("/users/{id}", userId.toHexString());
    }

    /** Completes if the user exists; a 422 naming {@code userId} if not; a 503 if user-service cannot say. */
    public Mono<Void> requireExists(ObjectId userId) {
        return exists(userId).flatMap(found -> found ? Mono.<Void>empty() : Mono.error(noSuchUser(userId)));
    }

    /** The 422 of a write that names a user user-service does not know. */
    public static ApiException noSuchUser(ObjectId userId) {
        return ApiException.unprocessable("userId", "user " + userId + " does not exist");
    }

    /**
     * Removes the product from every cart (idempotent, so retried); completes with the number of carts
     * that held it once user-service answers 2xx, and fails otherwise.
     */
    public Mono<Long> removeFromCarts(ObjectId productId) {
        return userService.calls().idempotent(userService.webClient().delete()
                .uri("/internal/carts/items/{productId}", productId.toHexString())
                .retrieve()
                .bodyToMono(CartsCleaned.class)
                .map(CartsCleaned::cartsChanged)
                .defaultIfEmpty(0L));
    }
}
