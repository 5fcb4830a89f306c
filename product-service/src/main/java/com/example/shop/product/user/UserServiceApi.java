package com.example.shop.product.user;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;

/**
 * What product-service calls of user-service's HTTP API, declared for Spring's HTTP service proxy. A call fails on
 * any answer but a 2xx ({@code WebClientResponseException}); {@link UserClient} guards each one.
 */
interface UserServiceApi {

    /** The user: completes on a 2xx (its body is not read), fails on a 404 when there is none. */
    @GetExchange("/users/{id}")
    Mono<Void> user(@PathVariable String id);

    /** Removes a deleted product from every cart (idempotent): how many carts held it. */
    @DeleteExchange("/internal/carts/items/{productId}")
    Mono<CartsCleaned> removeFromCarts(@PathVariable String productId);
}
