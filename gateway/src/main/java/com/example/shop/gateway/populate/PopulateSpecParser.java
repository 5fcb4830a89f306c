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
 * value     := ( plain | quoted )+
 * plain     := a letter, a digit, or one of _ . , + -
 * quoted    := '"' ( any character but " and \ | '\"' | '\\' )* '"'
 * name      := [A-Za-z_][A-Za-z0-9_]*
 * </pre>
 *
 * A comma inside parentheses or brackets belongs to them, outside it separates paths:
 * {@code userId(name,email),products[sort=-price,title;limit=3]} is two specs. Inside a value, double quotes
 * enclose text taken as it is, the characters that would end or split the spec ({@code ; ] [ ( ) ,}) and blanks
 * included, a quote written {@code \"} and a backslash {@code \\}: {@code products[title=eq."Desk lamp; big"]}.
 * The quotes are not part of the value ({@code eq."a b"} and {@code "eq.a b"} are the same). Any other character
 * outside quotes is refused. Which options a path takes, whether one may be given twice (a filter may, with
 * another operator) and what their values mean is the {@link Planner}'s to check.
 */
public final class PopulateSpecParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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

    /** Splits at the commas that stand outside parentheses, brackets and quotes; none of them may nest. */
    private static List<String> splitTopLevel(String parameter) {
        List<String> parts = new ArrayList<>();
        char open = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < parameter.length(); i++) {
            char c = parameter.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                }
                else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"' && open == '[') {
                quoted = true;
            }
            else if (c == '(' || c == '[') {
                if (open != 0) {
                    throw new PopulateException("populate: '" + c + "' inside '" + open + "' in '" + parameter
                            + "' (quote a value that holds it)");
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
        if (quoted) {
            throw new PopulateException("populate: a quote without its closing quote in '" + parameter + "'");
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
        for (String written : splitOptions(text)) {
            String option = written.strip();
            int equals = option.indexOf('=');
            String name = (equals < 0 ? option : option.substring(0, equals)).strip();
            if (!NAME.matcher(name).matches()) {
                throw new PopulateException("populate: '" + spec + "' has " + (name.isEmpty() ? "an empty option"
                        : "'" + name + "', which is not an option name") + "; options are written [name=value;name]");
            }
            options.add(equals < 0 ? new PopulateSpec.Option(name, null)
                    : value(name, option.substring(equals + 1).strip(), spec));
        }
        return options;
    }

    /** Splits the options at the semicolons outside quotes (the brackets' text, whose quotes are closed). */
    private static List<String> splitOptions(String text) {
        List<String> options = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            }
            else if (c == '"') {
                quoted = !quoted;
            }
            else if (c == ';' && !quoted) {
                options.add(text.substring(start, i));
                start = i + 1;
            }
        }
        options.add(text.substring(start));
        return options;
    }

    /** The option {@code name} with {@code written} as its value: quotes taken away, plain characters checked. */
    private static PopulateSpec.Option value(String name, String written, String spec) {
        StringBuilder value = new StringBuilder(written.length());
        boolean quoted = false;
        boolean quotedComma = false;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            else if (quoted && c == '\\') {
                char escaped = written.charAt(++i);
                if (escaped != '"' && escaped != '\\') {
                    throw PopulateException.option(name, "option '" + name + "' has '\\" + escaped + "' in quotes, in '"
                            + spec + "'; inside quotes write a quote \\\" and a backslash \\\\", List.of());
                }
                value.append(escaped);
            }
            else if (quoted || isPlain(c)) {
                quotedComma |= quoted && c == ',';
                value.append(c);
            }
            else {
                throw PopulateException.option(name, "option '" + name + "' has '" + c + "' outside quotes, in '" + spec
                        + "'; a value holds letters, digits and _ . , + - or text in double quotes, such as "
                        + name + "=eq.\"a b\"", List.of());
            }
        }
        if (written.isEmpty()) {
            throw PopulateException.option(name, "option '" + name + "' has no value after '=' in '" + spec + "'",
                    List.of());
        }
        return new PopulateSpec.Option(name, value.toString(), quotedComma);
    }

    /** Whether {@code c} may stand in a value outside quotes. */
    private static boolean isPlain(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == ',' || c == '+' || c == '-';
    }

    /** {@code value} as a client could write it: as it is when every character is plain, otherwise in quotes. */
    static String written(String value) {
        if (!value.isEmpty() && value.chars().allMatch(c -> isPlain((char) c))) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String name(String name, String spec) {
        if (!NAME.matcher(name).matches()) {
            throw new PopulateException("populate: '" + spec + "' is not a path such as userId or cart.items.productId(title,price)"
                    + (name.isEmpty() ? " (empty name)" : " ('" + name + "' is not a field name)"));
        }
        return name;
    }
}
