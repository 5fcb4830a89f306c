package com.example.shop.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.util.MultiValueMap;

/**
 * The one reading of query parameters, for the services and the gateway alike: a parameter that is given must
 * have a value, so {@code ?size} (bare) and {@code ?size=} (empty) are a 400 naming it, as is a single-valued
 * parameter given twice ({@code ?size=1&size=2}); a list parameter may be repeated or comma-separated
 * ({@code ids=a,b&ids=c}), and an empty entry in it ({@code ids=a,,b}, a trailing comma) is a 400 too. What a
 * value must look like is the caller's to check ({@link StrictIntegers}, {@link ObjectIds}, ...), again with a
 * 400 naming the parameter. Spring's own binding would take a bare or empty parameter as absent and the first
 * of two values.
 */
public final class QueryParameters {

    public static final String NO_VALUE = "is given without a value";

    private QueryParameters() {
    }

    /** The value of {@code name}, given at most once; null when it is not given. */
    public static String single(MultiValueMap<String, String> query, String name) {
        List<String> values = query.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name, "must be given once, not " + values.size() + " times");
        }
        return value(name, values.get(0));
    }

    /**
     * {@code name} as a whole number from {@code min} to {@code max} in plain decimal digits, given at most
     * once; {@code absent} when it is not given.
     */
    public static int integer(MultiValueMap<String, String> query, String name, int absent, int min, int max) {
        String value = single(query, name);
        if (value == null) {
            return absent;
        }
        long number;
        try {
            number = StrictIntegers.parse(value);
        }
        catch (NumberFormatException notDecimal) {
            throw ApiException.badRequest(name, StrictIntegers.MESSAGE);
        }
        if (number < min || number > max) {
            throw ApiException.badRequest(name, "must be between " + min + " and " + max);
        }
        return (int) number;
    }

    /**
     * Every entry of a list parameter, in order: each occurrence split at its commas, blanks around an entry
     * removed; empty when it is not given.
     */
    public static List<String> list(MultiValueMap<String, String> query, String name) {
        List<String> entries = new ArrayList<>();
        for (String value : query.getOrDefault(name, List.of())) {
            for (String entry : value(name, value).split(",", -1)) {
                String stripped = entry.strip();
                if (stripped.isEmpty()) {
                    throw ApiException.badRequest(name, "has an empty entry (check for a stray comma)");
                }
                entries.add(stripped);
            }
        }
        return entries;
    }

    /** Each occurrence of {@code name} as given, none of them bare or empty; empty when it is not given. */
    public static List<String> each(MultiValueMap<String, String> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        values.forEach(value -> value(name, value));
        return values;
    }

    /**
     * Refuses any parameter of {@code query} but {@code taken} (a 400 naming each), for an endpoint whose
     * parameters are all its own, so that one it does not take is not silently ignored.
     */
    public static void only(MultiValueMap<String, String> query, Set<String> taken) {
        List<FieldProblem> unknown = query.keySet().stream().filter(name -> !taken.contains(name))
                .map(name -> new FieldProblem(name, "is not a parameter of this request; it takes: "
                        + String.join(", ", taken.stream().sorted().toList())))
                .toList();
        if (!unknown.isEmpty()) {
            throw ApiException.invalid(unknown);
        }
    }

    private static String value(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(name, NO_VALUE);
        }
        return value;
    }
}
