package com.example.shop.common.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * Turns {@code page}, {@code size} and {@code sort} parameters into a {@link PageRequest}, with the
 * limits of a public API: page ≥ 0, 1 ≤ size ≤ {@link #MAX_SIZE}, sorting only on the fields a
 * resource names ({@code sort=price,desc&sort=title}). Results are always ordered by {@code _id}
 * last, so pages are stable.
 */
public final class Paging {

    public static final int MAX_SIZE = 100;

    public static final int MAX_PAGE = 1_000_000;

    private Paging() {
    }

    public static PageRequest of(int page, int size, List<String> sort, Set<String> sortable) {
        if (page < 0 || page > MAX_PAGE) {
            throw ApiException.badRequest("page", "must be between 0 and " + MAX_PAGE);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.badRequest("size", "must be between 1 and " + MAX_SIZE);
        }
        return PageRequest.of(page, size, sort(sort, sortable));
    }

    /**
     * The order that {@code sort} parameters ask for ({@code price,desc}, {@code title}), each on a field of
     * {@code sortable} (else a 400 naming {@code sort}), then {@code _id} ascending.
     */
    public static Sort sort(List<String> params, Set<String> sortable) {
        List<Sort.Order> orders = new ArrayList<>();
        for (String param : params == null ? List.<String>of() : params) {
            String[] parts = param.split(",");
            String property = parts[0].strip();
            if (!sortable.contains(property)) {
                throw ApiException.badRequest("sort", "cannot sort on '" + property + "'; sortable: "
                        + String.join(", ", sortable.stream().sorted().toList()));
            }
            Sort.Direction direction = Sort.Direction.ASC;
            if (parts.length > 2) {
                throw ApiException.badRequest("sort", "expected 'field' or 'field,asc|desc', got '" + param + "'");
            }
            if (parts.length == 2) {
                direction = switch (parts[1].strip().toLowerCase(Locale.ROOT)) {
                    case "asc" -> Sort.Direction.ASC;
                    case "desc" -> Sort.Direction.DESC;
                    default -> throw ApiException.badRequest("sort", "direction must be asc or desc, got '" + parts[1] + "'");
                };
            }
            orders.add(new Sort.Order(direction, property));
        }
        orders.add(Sort.Order.asc("_id"));
        return Sort.by(orders);
    }
}
