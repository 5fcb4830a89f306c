package com.example.shop.web.filter;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.util.MultiValueMap;

import com.example.shop.web.ApiException;
import com.example.shop.web.FieldProblem;
import com.example.shop.web.QueryParameters;

/**
 * Reads a list's filters from its query parameters, one grammar for the services and the gateway (PostgREST's):
 * <pre>
 * filter   := field "=" operator "." operand
 * operator := eq | in | gt | gte | lt | lte | prefix
 * operand  := value                       (in: value ("," value)*, at most {@value #MAX_VALUES};
 *                                          on an id field {@value #MAX_IDS})
 * </pre>
 * such as {@code price=gte.100}, {@code title=prefix.Lam}, {@code userId=in.<id>,<id>}. Every filter must hold
 * (AND): several fields, or one field with several operators ({@code price=gte.10&price=lt.20}), each operator
 * once per field. A value is read as the field's {@link FilterType} says, and the type decides which operators
 * apply. An id field also takes a bare list of ids ({@code userId=<id>,<id>}, repeatable, as the parameter
 * read before filters existed), which is its {@code in}: an id has no dot, so the two forms cannot be confused.
 * <p>
 * Pure: no store and no web framework, so that the services and the gateway read filters alike. Every
 * parameter but the list's own ({@code page}, {@code size}, ...) is a filter, so an unknown parameter is a
 * 400 too. Each problem is a {@link FieldProblem} naming the parameter, all of them in one 400.
 */
public final class FilterParser {

    /** The most values of one {@code in}, counted as given, duplicates too. */
    public static final int MAX_VALUES = 100;

    /**
     * The most values of one {@code in} (or of bare ids) on an id field: as many as the gateway's filters through a
     * reference carry ({@code /api/products?userId.name=eq.Ada} is a page of {@code userId=in.<the matching ids>}),
     * one indexed {@code $in} of at most this many.
     */
    public static final int MAX_IDS = 1_000;

    private FilterParser() {
    }

    /** The filters of {@code query} on {@code fields}; the parameters {@code others} are not filters. */
    public static List<Filter> parse(MultiValueMap<String, String> query, FilterableFields fields, Set<String> others) {
        List<Filter> filters = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (others.contains(name)) {
                continue;
            }
            try {
                filters.addAll(parse(name, parameter.getValue(), fields));
            }
            catch (Refused refused) {
                problems.add(new FieldProblem(name, refused.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return filters;
    }

    /** The filters of one parameter, each occurrence one filter (the bare ids of an id field, one {@code in}). */
    private static List<Filter> parse(String name, List<String> occurrences, FilterableFields fields) {
        FilterableField field = fields.get(name).orElseThrow(() -> new Refused(fields.refusal(name)
                .orElse("is neither a parameter of this list nor a field it can be filtered on")
                + "; filterable: " + String.join(", ", fields.names())));
        FilterType type = field.type();
        List<Filter> filters = new ArrayList<>();
        Set<FilterOperator> given = EnumSet.noneOf(FilterOperator.class);
        List<String> bareIds = new ArrayList<>();
        for (String occurrence : occurrences) {
            if (occurrence == null || occurrence.isEmpty()) {
                throw new Refused(QueryParameters.NO_VALUE);
            }
            int dot = occurrence.indexOf('.');
            if (dot < 0) {
                if (type != FilterType.ID) {
                    throw new Refused("expected operator.value, such as " + name + "=" + type.operatorTokens().get(0)
                            + ".…; operators on " + type.description() + ": " + operators(type));
                }
                bareIds.addAll(entries(occurrence, type));
                continue;
            }
            String token = occurrence.substring(0, dot);
            FilterOperator operator = FilterOperator.of(token).orElseThrow(() -> new Refused("unknown operator '"
                    + token + "'; operators on " + type.description() + ": " + operators(type)));
            if (!type.operators().contains(operator)) {
                throw new Refused("operator '" + operator + "' does not apply to " + type.description()
                        + "; operators: " + operators(type));
            }
            if (!given.add(operator)) {
                throw new Refused("gives '" + operator + "' more than once");
            }
            String operand = occurrence.substring(dot + 1);
            List<String> values = operator == FilterOperator.IN ? entries(operand, type) : List.of(operand);
            filters.add(new Filter(field, operator, values(field, values)));
        }
        if (!bareIds.isEmpty()) {
            if (!given.add(FilterOperator.IN)) {
                throw new Refused("gives 'in' more than once (a bare list of ids is an 'in')");
            }
            filters.add(new Filter(field, FilterOperator.IN, values(field, bareIds)));
        }
        return filters;
    }

    /**
     * The comma-separated entries of an {@code in} (or of bare ids): one at least, none empty; blanks around an
     * entry are dropped but in a string, which is compared as given.
     */
    private static List<String> entries(String operand, FilterType type) {
        if (operand.isEmpty()) {
            throw new Refused("'in' needs at least one value");
        }
        List<String> entries = new ArrayList<>();
        for (String entry : operand.split(",", -1)) {
            String value = type == FilterType.STRING ? entry : entry.strip();
            if (value.isEmpty()) {
                throw new Refused("has an empty entry (check for a stray comma)");
            }
            entries.add(value);
        }
        return entries;
    }

    /** The values of the field's type, at most {@link #maxValues} as given, then duplicates merged. */
    private static List<Object> values(FilterableField field, List<String> texts) {
        int max = maxValues(field.type());
        if (texts.size() > max) {
            throw new Refused("at most " + max + " values, not " + texts.size());
        }
        Set<Object> values = new LinkedHashSet<>();
        for (String text : texts) {
            if (text.isEmpty()) {
                throw new Refused("has no value after its operator");
            }
            Object value = field.type().parse(text, field.maxLength());
            if (value == null) {
                throw new Refused(field.type().malformed(field.maxLength()) + ", got '" + shortened(text) + "'");
            }
            values.add(value);
        }
        return new ArrayList<>(values);
    }

    /** The most values of one {@code in} on a field of {@code type}: {@link #MAX_IDS} on ids, else {@link #MAX_VALUES}. */
    public static int maxValues(FilterType type) {
        return type == FilterType.ID ? MAX_IDS : MAX_VALUES;
    }

    private static String operators(FilterType type) {
        return String.join(", ", type.operatorTokens());
    }

    /** A value as a message may quote it: at most 40 characters. */
    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** A problem with one parameter, which {@link #parse} reports with the others. */
    private static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
