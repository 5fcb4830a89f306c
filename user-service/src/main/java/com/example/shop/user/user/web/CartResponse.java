package com.example.shop.user.user.web;

import java.util.List;

import com.example.shop.user.user.domain.Cart;

public record CartResponse(List<Item> items) {

    public record Item(String productId, int quantity) {
    }

    public static CartResponse of(Cart cart) {
        return new CartResponse(cart.items().stream()
                .map(item -> new Item(item.productId().toHexString(), item.quantity()))
                .toList());
    }
}
