package com.example.shop.user.cart.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.bson.types.ObjectId;
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

import com.example.shop.security.Caller;
import com.example.shop.web.IdOrReferenceDeserializer;
import com.example.shop.web.ObjectIds;
import com.example.shop.user.user.domain.Cart;
import com.example.shop.user.cart.domain.CartService;
import com.example.shop.user.user.web.CartResponse;

/** A user's cart: only that user reads and changes it. */
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

    /** The user itself (no service needs to read a cart). */
    @GetMapping
    public Mono<CartResponse> get(@PathVariable String userId) {
        ObjectId id = ObjectIds.parse("userId", userId);
        return Caller.requireUser(id.toHexString(), "read this cart")
                .then(Mono.defer(() -> carts.get(id)))
                .map(CartResponse::of);
    }

    @PostMapping("/items")
    public Mono<CartResponse> add(@PathVariable String userId, @Valid @RequestBody AddItem request) {
        ObjectId id = ObjectIds.parse("userId", userId);
        ObjectId productId = ObjectIds.parse("productId", request.productId());
        return owner(id).then(Mono.defer(() -> carts.add(id, productId, request.quantity()))).map(CartResponse::of);
    }

    @PutMapping("/items/{productId}")
    public Mono<CartResponse> set(@PathVariable String userId, @PathVariable String productId,
            @Valid @RequestBody SetQuantity request) {
        ObjectId id = ObjectIds.parse("userId", userId);
        ObjectId product = ObjectIds.parse("productId", productId);
        return owner(id).then(Mono.defer(() -> carts.set(id, product, request.quantity()))).map(CartResponse::of);
    }

    @DeleteMapping("/items/{productId}")
    public Mono<CartResponse> remove(@PathVariable String userId, @PathVariable String productId) {
        ObjectId id = ObjectIds.parse("userId", userId);
        ObjectId product = ObjectIds.parse("productId", productId);
        return owner(id).then(Mono.defer(() -> carts.remove(id, product))).map(CartResponse::of);
    }

    @DeleteMapping
    public Mono<CartResponse> clear(@PathVariable String userId) {
        ObjectId id = ObjectIds.parse("userId", userId);
        return owner(id).then(Mono.defer(() -> carts.clear(id))).map(CartResponse::of);
    }

    /**
     * Every change of a cart is its user's alone (the access rules refuse anyone else before the body is
     * read; checked again here). Who owns the cart follows from the path, not from the store, so no read
     * precedes the write it guards.
     */
    private static Mono<Caller> owner(ObjectId userId) {
        return Caller.requireUser(userId.toHexString(), "change this cart");
    }
}
