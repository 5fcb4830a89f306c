package com.example.shop.web.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.util.MultiValueMap;

/**
 * The fields a list of a resource may be filtered on, declared once by its service next to the fields it sorts
 * on: the service reads its filters with them ({@link #parse}), and its API document describes them
 * ({@link FilterDocumentation}). Fields that must not filter (something not every caller may see, such as a
 * user's e-mail address) may be named with the reason, which a request naming them is told.
 */
public final class FilterableFields {

    private final Map<String, FilterableField> fields;

    private final Map<String, String> refused;

    private FilterableFields(Map<String, FilterableField> fields, Map<String, String> refused) {
        this.fields = fields;
        this.refused = refused;
    }

    public static FilterableFields of(FilterableField... fields) {
        Map<String, FilterableField> byName = new LinkedHashMap<>();
        for (FilterableField field : fields) {
            if (byName.put(field.name(), field) != null) {
                throw new IllegalArgumentException("field " + field.name() + " is declared twice");
            }
        }
        return new FilterableFields(byName, Map.of());
    }

    /** These fields, and {@code field} refused with {@code why} ("is private to each user"). */
    public FilterableFields refusing(String field, String why) {
        if (fields.containsKey(field)) {
            throw new IllegalArgumentException(field + " is filterable; it cannot be refused too");
        }
        Map<String, String> more = new LinkedHashMap<>(refused);
        more.put(field, why);
        return new FilterableFields(fields, Map.copyOf(more));
    }

    public Optional<FilterableField> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** The fields, in the order declared. */
    public List<FilterableField> all() {
        return List.copyOf(fields.values());
    }

    /** The names of the fields, in the order declared. */
    public List<String> names() {
        return List.copyOf(fields.keySet());
    }

    /** Why {@code name} may not filter, if it is a field refused by name. */
    public Optional<String> refusal(String name) {
        return Optional.ofNullable(refused.get(name));
    }

    /**
     * The filters of {@code query}: every parameter but {@code others} (the list's own: {@code page},
     * {@code size}, {@code sort}) is one. See {@link FilterParser#parse}.
     */
    public List<Filter> parse(MultiValueMap<String, String> query, Set<String> others) {
        return FilterParser.parse(query, this, others);
    }
}
