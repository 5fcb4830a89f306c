package com.example.shop.user.user.domain;

import java.util.List;

/**
 * The cart embedded in a user: at most one line per product, at most {@value #MAX_LINES} lines, in the
 * order they were added.
 */
public record Cart(List<CartItem> items) {

    public static final Cart EMPTY = new Cart(List.of());

    /** The largest quantity one line may hold. */
    public static final int MAX_QUANTITY = 1000;

    /** The most lines (distinct products) a cart may hold: bounds the cart document and the lookups that show it. */
    public static final int MAX_LINES = 200;

    public Cart {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
