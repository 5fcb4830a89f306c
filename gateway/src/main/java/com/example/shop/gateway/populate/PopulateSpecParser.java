package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.example.shop.web.QueryParameters;

/**
 * Reads the {@code populate} parameter. The grammar, blanks around names ignored:
 *
 * <pre>
 * populate  := spec ("," spec)*            the parameter may also be repeated
 * spec      := path [ "(" field ("," field)* ")" ] [ "[" option (";" option)* "]" ]
 * path      := name ("." name)*
 * field     := name
 * option    := name [ "=" value ]
 * value     := [A-Za-z0-9_.,+-]+
 * name      := [A-Za-z_][A-Za-z0-9_]*
 * </pre>
 *
 * A comma inside parentheses or brackets belongs to them, outside it separates paths:
 * {@code userId(name,email),products[sort=-price,title;limit=3]} is two specs. Which options a path takes
 * and what their values mean is the {@link Planner}'s to check; here an option may be given once per spec.
 */
public final class PopulateSpecParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.,+-]+");

    /** Longer parameters are refused before any parsing. */
    static final int MAX_LENGTH = 2000;

    private PopulateSpecParser() {
    }

    /**
     * Every spec of every occurrence of the parameter, in order; duplicates are kept (the planner merges them).
     * An occurrence without a value (bare or empty) is refused, as every parameter is ({@link QueryParameters}).
     */
    public static List<PopulateSpec> parse(List<String> parameters) {
        List<PopulateSpec> specs = new ArrayList<>();
        for (String parameter : parameters) {
            // ?populate (bare) arrives as null, ?populate= as ""
            if (parameter == null || parameter.isEmpty()) {
                throw new PopulateException("populate: " + QueryParameters.NO_VALUE + "; give the paths to populate, "
                        + "such as populate=userId");
            }
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

    /** Splits at the commas that stand outside parentheses and brackets, which may not nest. */
    private static List<String> splitTopLevel(String parameter) {
        List<String> parts = new ArrayList<>();
        char open = 0;
        int start = 0;
        for (int i = 0; i < parameter.length(); i++) {
            char c = parameter.charAt(i);
            if (c == '(' || c == '[') {
                if (open != 0) {
                    throw new PopulateException("populate: '" + c + "' inside '" + open + "' in '" + parameter + "'");
                }
                open = c;
            }
            else if (c == ')' || c == ']') {
                char opening = c == ')' ? '(' : '[';
                if (open != opening) {
                    throw new PopulateException("populate: '" + c + "' without '" + opening + "' in '" + parameter + "'");
                }
                open = 0;
            }
            else if (c == ',' && open == 0) {
                parts.add(parameter.substring(start, i));
                start = i + 1;
            }
        }
        if (open != 0) {
            throw new PopulateException("populate: '" + open + "' without '" + (open == '(' ? ')' : ']') + "' in '"
                    + parameter + "'");
        }
        parts.add(parameter.substring(start));
        return parts;
    }

    private static PopulateSpec spec(String text) {
        String spec = text.strip();
        if (spec.isEmpty()) {
            throw new PopulateException("populate: empty path (check for a stray comma)");
        }
        String rest = spec;
        List<PopulateSpec.Option> options = new ArrayList<>();
        int bracket = rest.indexOf('[');
        if (bracket >= 0) {
            if (!rest.endsWith("]")) {
                throw new PopulateException("populate: options in brackets must close the path, in '" + spec + "'");
            }
            options = options(rest.substring(bracket + 1, rest.length() - 1), spec);
            rest = rest.substring(0, bracket).strip();
        }
        Set<String> select = new LinkedHashSet<>();
        int open = rest.indexOf('(');
        if (open >= 0) {
            if (!rest.endsWith(")")) {
                throw new PopulateException("populate: a field selection must close the path (before its options), in '"
                        + spec + "'");
            }
            for (String field : rest.substring(open + 1, rest.length() - 1).split(",", -1)) {
                select.add(name(field.strip(), spec));
            }
            rest = rest.substring(0, open).strip();
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rest.split("\\.", -1)) {
            segments.add(name(segment.strip(), spec));
        }
        return new PopulateSpec(segments, select, options);
    }

    private static List<PopulateSpec.Option> options(String text, String spec) {
        List<PopulateSpec.Option> options = new ArrayList<>();
        for (String written : text.split(";", -1)) {
            String option = written.strip();
            int equals = option.indexOf('=');
            String name = (equals < 0 ? option : option.substring(0, equals)).strip();
            String value = equals < 0 ? null : option.substring(equals + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new PopulateException("populate: '" + spec + "' has " + (name.isEmpty() ? "an empty option"
                        : "'" + name + "', which is not an option name") + "; options are written [name=value;name]");
            }
            if (value != null && !VALUE.matcher(value).matches()) {
                throw new PopulateException("populate: option '" + name + "' has no valid value in '" + spec + "'");
            }
            if (options.stream().anyMatch(given -> given.name().equals(name))) {
                throw new PopulateException("populate: option '" + name + "' given twice in '" + spec + "'");
            }
            options.add(new PopulateSpec.Option(name, value));
        }
        return options;
    }

    private static String name(String name, String spec) {
        if (!NAME.matcher(name).matches()) {
            throw new PopulateException("populate: '" + spec + "' is not a path such as userId or cart.items.productId(title,price)"
                    + (name.isEmpty() ? " (empty name)" : " ('" + name + "' is not a field name)"));
        }
        return name;
    }
}
