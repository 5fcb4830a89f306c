package com.example.shop.product.product.web;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import com.example.shop.security.Caller;
import com.example.shop.web.ApiException;
import com.example.shop.web.ObjectIds;
import com.example.shop.product.product.domain.ProductService;

/**
 * Called by user-service, whose sweep finishes a user's deletion with it: every product of the deleted
 * user is deleted as {@code DELETE /products/{id}} deletes one (gone from the API at once, out of every
 * cart soon after). Idempotent, so user-service may repeat it until it gets an answer. Only user-service's
 * credential gets in ({@link ProductAccessRules}; checked again here); the gateway never routes
 * {@code /internal/**}.
 */
@RestController
public class InternalProductController {

    public record Deleted(String userId, long productsDeleted) {
    }

    private final ProductService products;

    public InternalProductController(ProductService products) {
        this.products = products;
    }

    /** The one service that may call {@code /internal/**} here. */
    static final String USER_SERVICE = "user-service";

    @DeleteMapping("/internal/users/{userId}/products")
    public Mono<Deleted> deleteAllOf(@PathVariable String userId) {
        return Caller.required()
                .filter(caller -> caller.isService(USER_SERVICE))
                .switchIfEmpty(Mono.error(() -> ApiException.forbidden("only " + USER_SERVICE + " may call /internal")))
                .flatMap(service -> products.deleteAllOf(ObjectIds.parse("userId", userId)))
                .map(deleted -> new Deleted(userId, deleted));
    }
}
