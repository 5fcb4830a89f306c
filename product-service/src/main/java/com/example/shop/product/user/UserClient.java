package com.example.shop.product.user;

import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import com.example.shop.remote.RemoteExistence;
import com.example.shop.remote.RemoteService;
import com.example.shop.remote.RemoteServices;
import com.example.shop.remote.ResilientCalls;
import com.example.shop.web.ApiException;

/**
 * user-service, as product-service needs it: does a user exist, and take a deleted product out of every cart.
 * The calls are {@link UserServiceApi}'s, each guarded by the service's resilience4j {@link ResilientCalls}.
 */
@Component
public class UserClient {

    public static final String SERVICE = "user-service";

    private final UserServiceApi api;

    private final ResilientCalls calls;

    public UserClient(RemoteServices remoteServices) {
        RemoteService userService = remoteServices.create(SERVICE);
        this.api = userService.client(UserServiceApi.class);
        this.calls = userService.calls();
    }

    /**
     * Whether user-service knows the user: 2xx yes, 404 no; any other answer, a time-out or an open circuit
     * is a 503 naming the service, never a "no". Retried, since a read is idempotent.
     */
    public Mono<Boolean> exists(ObjectId userId) {
        return calls.idempotent(RemoteExistence.of(api.user(userId.toHexString())));
    }

    /** Completes if the user exists; a 422 naming {@code userId} if not; a 503 if user-service cannot say. */
    public Mono<Void> requireExists(ObjectId userId) {
        return RemoteExistence.require(exists(userId), () -> noSuchUser(userId));
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
        return calls.idempotent(api.removeFromCarts(productId.toHexString())
                .map(CartsCleaned::cartsChanged)
                .defaultIfEmpty(0L));
    }
}
