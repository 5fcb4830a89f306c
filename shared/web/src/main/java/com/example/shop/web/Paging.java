package com.example.shop.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.util.MultiValueMap;

/**
 * Turns the {@code page}, {@code size} and {@code sort} parameters of a query into a {@link PageRequest}, with
 * the limits of a public API: page 0–{@link #MAX_PAGE} (default 0), size 1–{@link #MAX_SIZE} (default
 * {@value #DEFAULT_SIZE}), each given at most once and in plain decimal digits; sorting only on the fields a
 * resource names ({@code sort=price,desc&sort=title}), each once. Every parameter is read as
 * {@link QueryParameters} reads them (bare, empty or repeated where one is expected: 400). Results are always
 * ordered by {@code _id} last, so pages are stable.
 */
public final class Paging {

    public static final String PAGE = "page";

    public static final String SIZE = "size";

    public static final String SORT = "sort";

    public static final int MAX_SIZE = 100;

    public static final int DEFAULT_SIZE = 20;

    public static final int MAX_PAGE = 1_000_000;

    /** The parameters a page reads ({@code page}, {@code size}, {@code sort}); any other of a filtered list is a filter. */
    public static final Set<String> PARAMETERS = Set.of(PAGE, SIZE, SORT);

    private Paging() {
    }

    /** The page that {@code query} asks for. */
    public static PageRequest of(MultiValueMap<String, String> query, Set<String> sortable) {
        int page = QueryParameters.integer(query, PAGE, 0, 0, MAX_PAGE);
        int size = QueryParameters.integer(query, SIZE, DEFAULT_SIZE, 1, MAX_SIZE);
        return PageRequest.of(page, size, sort(query, sortable));
    }

    /**
     * The order that the {@code sort} parameters of {@code query} ask for ({@code price,desc}, {@code title}),
     * each on a field of {@code sortable} and each field once (else a 400 naming {@code sort}), then {@code _id}
     * ascending.
     */
    public static Sort sort(MultiValueMap<String, String> query, Set<String> sortable) {
        List<Sort.Order> orders = new ArrayList<>();
        Set<String> sorted = new HashSet<>();
        for (String param : QueryParameters.each(query, SORT)) {
            String[] parts = param.split(",", -1);
            String property = parts[0].strip();
            if (!sortable.contains(property)) {
                throw ApiException.badRequest(SORT, "cannot sort on '" + property + "'; sortable: "
                        + String.join(", ", sortable.stream().sorted().toList()));
            }
            if (!sorted.add(property)) {
                throw ApiException.badRequest(SORT, "sorts on '" + property + "' more than once");
            }
            if (parts.length > 2) {
                throw ApiException.badRequest(SORT, "expected 'field' or 'field,asc|desc', got '" + param + "'");
            }
            Sort.Direction direction = Sort.Direction.ASC;
            if (parts.length == 2) {
                direction = switch (parts[1].strip().toLowerCase(Locale.ROOT)) {
                    case "asc" -> Sort.Direction.ASC;
                    case "desc" -> Sort.Direction.DESC;
                    default -> throw ApiException.badRequest(SORT, "direction must be asc or desc, got '" + parts[1] + "'");
                };
            }
            orders.add(new Sort.Order(direction, property));
        }
        orders.add(Sort.Order.asc("_id"));
        return Sort.by(orders);
    }
}
