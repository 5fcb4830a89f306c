package com.example.shop.gateway.populate;

import java.util.List;
import java.util.Set;

/**
 * One path a client asked to populate, as written: {@code cart.items.productId.userId(name,email)} is
 * the segments {@code [cart, items, productId, userId]} and the selection {@code {name, email}}.
 *
 * @param segments the dotted path, split
 * @param select   the fields to keep of each document the last segment refers to; empty keeps them all
 */
public record PopulateSpec(List<String> segments, Set<String> select) {

    public PopulateSpec {
        segments = List.copyOf(segments);
        select = Set.copyOf(select);
    }

    public String path() {
        return String.join(".", segments);
    }

    @Override
    public String toString() {
        return select.isEmpty() ? path() : path() + "(" + String.join(",", select.stream().sorted().toList()) + ")";
    }
}
