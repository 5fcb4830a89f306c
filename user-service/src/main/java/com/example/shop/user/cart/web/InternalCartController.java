package com.example.shop.user.cart.web;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.example.shop.security.Caller;
import com.example.shop.web.ApiException;
import com.example.shop.web.ObjectIds;
import com.example.shop.user.cart.domain.CartService;

/**
 * For product-service only (the gateway never routes {@code /internal/**}; the access rules let only
 * product-service's credential in, checked again here): a deleted product leaves every cart. Idempotent, so
 * product-service may repeat it until it gets an answer.
 */
@RestController
@RequestMapping("/internal/carts/items")
public class InternalCartController {

    private static final String PRODUCT_SERVICE = "product-service";

    public record Removal(String productId, long cartsChanged) {
    }

    private final CartService carts;

    public InternalCartController(CartService carts) {
        this.carts = carts;
    }

    @DeleteMapping("/{productId}")
    public Mono<Removal> removeEverywhere(@PathVariable String productId) {
        return Caller.required()
                .flatMap(caller -> caller.isService(PRODUCT_SERVICE)
                        ? Mono.defer(() -> carts.removeProductEverywhere(ObjectIds.parse("productId", productId)))
                        : Mono.error(ApiException.forbidden("only " + PRODUCT_SERVICE + " may call /internal")))
                .map(changed -> new Removal(productId, changed));
    }
}
