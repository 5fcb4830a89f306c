package com.example.shop.user.cart.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import reactor.core.publisher.Mono;
import tools.jackson.databind.annotation.JsonDeserialize;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.example.shop.common.web.IdOrReferenceDeserializer;
import com.example.shop.common.web.ObjectIds;
import com.example.shop.user.cart.domain.Cart;
import com.example.shop.user.cart.domain.CartService;

@RestController
@RequestMapping("/users/{userId}/cart")
public class CartController {

    /** {@code productId} is an id, or a (populated) product carrying its {@code id}. */
    public record AddItem(
            @NotNull @Pattern(regexp = ObjectIds.REGEX, message = ObjectIds.MESSAGE)
            @JsonDeserialize(using = IdOrReferenceDeserializer.class) String productId,
            @NotNull @Min(1) @Max(Cart.MAX_QUANTITY) Integer quantity) {
    }

    public record SetQuantity(@NotNull @Min(0) @Max(Cart.MAX_QUANTITY) Integer quantity) {
    }

    private final CartService carts;

    public CartController(CartService carts) {
        this.carts = carts;
    }

    @GetMapping
    public Mono<CartResponse> get(@PathVariable String userId) {
        return carts.get(ObjectIds.parse("userId", userId)).map(CartResponse::of);
    }

    @PostMapping("/items")
    public Mono<CartResponse> add(@PathVariable String userId, @Valid @RequestBody AddItem request) {
        return carts.add(ObjectIds.parse("userId", userId), ObjectIds.parse("productId", request.productId()),
                request.quantity()).map(CartResponse::of);
    }

    @PutMapping("/items/{productId}")
    public Mono<CartResponse> set(@PathVariable String userId, @PathVariable String productId,
            @Valid @RequestBody SetQuantity request) {
        return carts.set(ObjectIds.parse("userId", userId), ObjectIds.parse("productId", productId),
                request.quantity()).map(CartResponse::of);
    }

    @DeleteMapping("/items/{productId}")
    public Mono<CartResponse> remove(@PathVariable String userId, @PathVariable String productId) {
        return carts.remove(ObjectIds.parse("userId", userId), ObjectIds.parse("productId", productId))
                .map(CartResponse::of);
    }

    @DeleteMapping
    public Mono<CartResponse> clear(@PathVariable String userId) {
        return carts.clear(ObjectIds.parse("userId", userId)).map(CartResponse::of);
    }
}
