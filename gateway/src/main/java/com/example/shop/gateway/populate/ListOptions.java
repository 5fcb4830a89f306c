package com.example.shop.gateway.populate;

import java.util.List;

import com.example.shop.web.filter.Filter;

/**
 * How a list field is filled ({@code populate=products[price=gte.100;sort=-price;skip=3;limit=3]}): which
 * documents (those that pass every filter), the order, how many of each parent's are passed over and the most
 * documents per parent document (not in all, unlike Mongoose's plain {@code limit}), or only their number. Equal
 * options ask the same question: lookups are shared ({@link SharedLookups}) only between equal options, filters
 * included.
 *
 * @param sort    the order, before the order by id that always comes last
 * @param filters the conditions every document listed meets (AND), in the order of the target's filterable fields
 *                and then of the operators
 * @param skip    the documents of each parent passed over, in order, before those listed, 0 to {@link #MAX_SKIP}
 * @param limit   the most documents per parent, 1 to {@link #MAX_LIMIT}
 * @param count   the field becomes the number of documents that pass the filters; none are fetched
 */
public record ListOptions(List<SortKey> sort, List<Filter> filters, int skip, int limit, boolean count) {

    /** The most documents a list field takes per parent, and what it takes when no {@code limit} is given. */
    public static final int MAX_LIMIT = 100;

    /**
     * The most documents of each parent passed over ({@code skip}): the service reads up to {@code skip + limit}
     * documents of each parent (product-service's {@code OwnedProductsController.MAX_SKIP}).
     */
    public static final int MAX_SKIP = 1000;

    /** No options: every document, ordered by id, up to {@link #MAX_LIMIT} per parent. */
    public static final ListOptions DEFAULT = new ListOptions(List.of(), List.of(), 0, MAX_LIMIT, false);

    /** The option names, as a client writes them; any other name in brackets is a filter. */
    public static final List<String> NAMES = List.of("sort", "skip", "limit", "count");

    public ListOptions {
        sort = List.copyOf(sort);
        filters = List.copyOf(filters);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        if (skip < 0 || skip > MAX_SKIP) {
            throw new IllegalArgumentException("skip must be 0 to " + MAX_SKIP);
        }
    }

    /** Every document, in {@code sort} order, at most {@code limit} per parent. */
    public ListOptions(List<SortKey> sort, int limit, boolean count) {
        this(sort, List.of(), 0, limit, count);
    }

    /** One sort field, {@code -price} descending. */
    public record SortKey(String field, boolean descending) {

        @Override
        public String toString() {
            return (descending ? "-" : "") + field;
        }
    }
}
