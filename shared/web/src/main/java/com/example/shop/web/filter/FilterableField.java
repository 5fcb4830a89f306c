package com.example.shop.web.filter;

import java.util.Objects;

/**
 * A field a list may be filtered on: its name in the API and the query parameter, the name the store keeps it
 * under ({@code id} is {@code _id}), its type and, for a string, its longest value (a longer value could match
 * nothing, so it is refused).
 */
public record FilterableField(String name, String storedAs, FilterType type, int maxLength) {

    public FilterableField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(storedAs, "storedAs");
        Objects.requireNonNull(type, "type");
        if (type == FilterType.STRING && maxLength < 1) {
            throw new IllegalArgumentException("a string field needs a length of at least 1: " + name);
        }
    }

    /** An id field stored as {@code storedAs} ({@code id} as {@code _id}). */
    public static FilterableField id(String name, String storedAs) {
        return new FilterableField(name, storedAs, FilterType.ID, 0);
    }

    /** An id field stored under its name (a reference such as {@code userId}). */
    public static FilterableField id(String name) {
        return id(name, name);
    }

    public static FilterableField decimal(String name) {
        return new FilterableField(name, name, FilterType.DECIMAL, 0);
    }

    /** A string of at most {@code maxLength} characters (the longest the field may hold). */
    public static FilterableField string(String name, int maxLength) {
        return new FilterableField(name, name, FilterType.STRING, maxLength);
    }
}
