package com.example.shop.gateway.populate;

import java.util.List;

/**
 * How a list field is filled ({@code populate=products[sort=-price;limit=3]}): the order, the most
 * documents per parent document (not in all, unlike Mongoose's plain {@code limit}), or only their number.
 *
 * @param sort  the order, before the order by id that always comes last
 * @param limit the most documents per parent, 1 to {@link #MAX_LIMIT}
 * @param count the field becomes the number of matching documents; none are fetched
 */
public record ListOptions(List<SortKey> sort, int limit, boolean count) {

    /** The most documents a list field takes per parent, and what it takes when no {@code limit} is given. */
    public static final int MAX_LIMIT = 100;

    /** No options: ordered by id, up to {@link #MAX_LIMIT} documents per parent. */
    public static final ListOptions DEFAULT = new ListOptions(List.of(), MAX_LIMIT, false);

    /** The option names, as a client writes them. */
    public static final List<String> NAMES = List.of("sort", "limit", "count");

    public ListOptions {
        sort = List.copyOf(sort);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
    }

    /** One sort field, {@code -price} descending. */
    public record SortKey(String field, boolean descending) {

        @Override
        public String toString() {
            return (descending ? "-" : "") + field;
        }
    }
}
