package com.example.shop.gateway.populate;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One path a client asked to populate, as written: {@code cart.items.productId.userId(name,email)} is
 * the segments {@code [cart, items, productId, userId]} and the selection {@code {name, email}};
 * {@code products(title)[sort=-price;limit=3]} also has two options.
 *
 * @param segments the dotted path, split
 * @param select   the fields to keep of each document the last segment refers to; empty keeps them all
 * @param options  the options of the last segment, in the order written (checked by the {@link Planner})
 */
public record PopulateSpec(List<String> segments, Set<String> select, List<Option> options) {

    /**
     * One option, {@code limit=3}, {@code count} without a value, or a filter, {@code price=gte.100}.
     *
     * @param value        null when none is given; as read, quotes taken away ({@code title=eq."a;b"} is
     *                     {@code eq.a;b})
     * @param quotedComma  whether a comma stood inside quotes in the value (so that a filter's {@code in}, which
     *                     separates its values at every comma, can refuse it rather than split it)
     */
    public record Option(String name, String value, boolean quotedComma) {

        public Option(String name, String value) {
            this(name, value, false);
        }

        /** As a client could write it: the value quoted when it holds a character that must be. */
        @Override
        public String toString() {
            return value == null ? name : name + "=" + PopulateSpecParser.written(value);
        }
    }

    public PopulateSpec {
        segments = List.copyOf(segments);
        select = Set.copyOf(select);
        options = List.copyOf(options);
    }

    public PopulateSpec(List<String> segments, Set<String> select) {
        this(segments, select, List.of());
    }

    public String path() {
        return String.join(".", segments);
    }

    @Override
    public String toString() {
        return path() + (select.isEmpty() ? "" : "(" + String.join(",", select.stream().sorted().toList()) + ")")
                + (options.isEmpty() ? "" : options.stream().map(Option::toString).collect(Collectors.joining(";", "[", "]")));
    }
}
