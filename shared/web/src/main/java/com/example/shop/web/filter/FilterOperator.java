package com.example.shop.web.filter;

import java.util.Locale;
import java.util.Optional;

/**
 * An operator of a filter, as a query parameter spells it before the first dot of its value
 * ({@code price=gte.100}): as PostgREST spells them.
 */
public enum FilterOperator {

    /** Equal to the value. */
    EQ,
    /** Equal to one of the comma-separated values (at most {@link FilterParser#maxValues}). */
    IN,
    /** Greater than the value. */
    GT,
    /** Greater than or equal to the value. */
    GTE,
    /** Less than the value. */
    LT,
    /** Less than or equal to the value. */
    LTE,
    /** A string that starts with the value, case-sensitive. */
    PREFIX;

    /** The operator as a parameter spells it: {@code gte}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operator spelled {@code token} (lower case only), if there is one. */
    public static Optional<FilterOperator> of(String token) {
        for (FilterOperator operator : values()) {
            if (operator.token().equals(token)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return token();
    }
}
