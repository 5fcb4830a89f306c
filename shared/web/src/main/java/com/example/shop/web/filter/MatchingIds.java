package com.example.shop.web.filter;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.util.MultiValueMap;

import com.example.shop.web.ApiException;
import com.example.shop.web.QueryParameters;

/**
 * A request for the ids that match filters, the first half of the gateway's filter through a reference (a semi-join
 * across services): {@code GET <match path>?<filters>&of=<id field>&limit=<n>} answers the distinct values of the id
 * field {@code of} ({@code id}, or a reference such as {@code userId}) among the live documents that pass every
 * filter, at most {@code limit}, as a JSON array of ids. The gateway asks for one more than it may carry
 * ({@link #MAX_LIMIT} is {@link FilterParser#MAX_IDS} + 1) to tell "all of them" from "too many". The filters are
 * the list's own ({@link FilterableFields}), read as its page reads them, so that a caller learns through them
 * nothing a page would not show.
 *
 * @param of      the id field whose values are answered, as the API names it
 * @param filters the conditions every document must pass
 * @param limit   the most ids answered
 */
public record MatchingIds(FilterableField of, List<Filter> filters, int limit) {

    /** The parameter naming the id field answered. */
    public static final String OF = "of";

    /** The parameter bounding the ids answered. */
    public static final String LIMIT = "limit";

    /** The most ids one answer holds: one more than a filter of an id field takes. */
    public static final int MAX_LIMIT = FilterParser.MAX_IDS + 1;

    private static final Set<String> OWN = Set.of(OF, LIMIT);

    public MatchingIds {
        filters = List.copyOf(filters);
    }

    /**
     * The request in {@code query}: {@code of} one of {@code answerable} (id fields of {@code fields}), required;
     * {@code limit} 1 to {@link #MAX_LIMIT}, {@link #MAX_LIMIT} when not given; every other parameter a filter on
     * {@code fields} (400 naming each one that is not).
     */
    public static MatchingIds parse(MultiValueMap<String, String> query, FilterableFields fields, Set<String> answerable) {
        String of = QueryParameters.single(query, OF);
        if (of == null) {
            throw ApiException.badRequest(OF, "is required: the id field answered, one of " + String.join(", ",
                    answerable.stream().sorted().toList()));
        }
        FilterableField field = fields.get(of).filter(found -> found.type() == FilterType.ID && answerable.contains(of))
                .orElseThrow(() -> ApiException.badRequest(OF, "must be one of " + String.join(", ",
                        answerable.stream().sorted().toList()) + ", not '" + of + "'"));
        int limit = QueryParameters.integer(query, LIMIT, MAX_LIMIT, 1, MAX_LIMIT);
        Set<String> others = new HashSet<>(OWN);
        return new MatchingIds(field, fields.parse(query, others), limit);
    }
}
