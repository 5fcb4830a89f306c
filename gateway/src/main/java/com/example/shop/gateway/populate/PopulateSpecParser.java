package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code populate} parameter. The grammar, blanks around names ignored:
 *
 * <pre>
 * populate  := spec ("," spec)*            the parameter may also be repeated
 * spec      := path [ "(" field ("," field)* ")" ]
 * path      := name ("." name)*
 * field     := name
 * name      := [A-Za-z_][A-Za-z0-9_]*
 * </pre>
 *
 * A comma inside parentheses separates selected fields, outside it separates paths:
 * {@code userId(name,email),cart.items.productId} is two specs.
 */
public final class PopulateSpecParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Longer parameters are refused before any parsing. */
    static final int MAX_LENGTH = 2000;

    private PopulateSpecParser() {
    }

    /** Every spec of every occurrence of the parameter, in order; duplicates are kept (the planner merges them). */
    public static List<PopulateSpec> parse(List<String> parameters) {
        List<PopulateSpec> specs = new ArrayList<>();
        for (String parameter : parameters) {
            if (parameter.length() > MAX_LENGTH) {
                throw new PopulateException("populate: longer than " + MAX_LENGTH + " characters");
            }
            for (String spec : splitTopLevel(parameter)) {
                specs.add(spec(spec));
            }
        }
        if (specs.isEmpty()) {
            throw new PopulateException("populate: no path given");
        }
        return specs;
    }

    /** Splits at the commas that stand outside parentheses. */
    private static List<String> splitTopLevel(String parameter) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < parameter.length(); i++) {
            char c = parameter.charAt(i);
            if (c == '(') {
                depth++;
                if (depth > 1) {
                    throw new PopulateException("populate: nested parentheses in '" + parameter + "'");
                }
            }
            else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw new PopulateException("populate: ')' without '(' in '" + parameter + "'");
                }
            }
            else if (c == ',' && depth == 0) {
                parts.add(parameter.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new PopulateException("populate: '(' without ')' in '" + parameter + "'");
        }
        parts.add(parameter.substring(start));
        return parts;
    }

    private static PopulateSpec spec(String text) {
        String spec = text.strip();
        if (spec.isEmpty()) {
            throw new PopulateException("populate: empty path (check for a stray comma)");
        }
        String path = spec;
        Set<String> select = new LinkedHashSet<>();
        int open = spec.indexOf('(');
        if (open >= 0) {
            if (!spec.endsWith(")")) {
                throw new PopulateException("populate: a field selection must close the path, in '" + spec + "'");
            }
            path = spec.substring(0, open).strip();
            for (String field : spec.substring(open + 1, spec.length() - 1).split(",", -1)) {
                select.add(name(field.strip(), spec));
            }
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("\\.", -1)) {
            segments.add(name(segment.strip(), spec));
        }
        return new PopulateSpec(segments, select);
    }

    private static String name(String name, String spec) {
        if (!NAME.matcher(name).matches()) {
            throw new PopulateException("populate: '" + spec + "' is not a path such as userId or cart.items.productId(title,price)"
                    + (name.isEmpty() ? " (empty name)" : " ('" + name + "' is not a field name)"));
        }
        return name;
    }
}
