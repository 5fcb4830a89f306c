package com.example.shop.user.product;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;

/**
 * What user-service calls of product-service's HTTP API, declared for Spring's HTTP service proxy. A call fails on
 * any answer but a 2xx ({@code WebClientResponseException}); {@link ProductClient} guards each one.
 */
interface ProductServiceApi {

    /** The product: completes on a 2xx (its body is not read), fails on a 404 when there is none. */
    @GetExchange("/products/{id}")
    Mono<Void> product(@PathVariable String id);

    /** Deletes every product of a deleted user (idempotent): how many it deleted now. */
    @DeleteExchange("/internal/users/{userId}/products")
    Mono<ProductsDeleted> deleteProductsOf(@PathVariable String userId);
}
