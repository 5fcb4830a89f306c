package com.example.shop.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bson.types.ObjectId;

/**
 * Parsing of ids that arrive as text, in paths, parameters and bodies alike: 24 lower-case hexadecimal digits,
 * the one spelling the services write ({@link ObjectId#toHexString()}), else a 400 that names the field. An
 * upper-case spelling names the same document, so it is refused rather than taken: whatever keys on the id's
 * text (the access rules that compare a path with the caller's id, the gateway's cache and its invalidation by
 * path) then sees one spelling per document.
 */
public final class ObjectIds {

    /** For Bean Validation: {@code @Pattern(regexp = ObjectIds.REGEX)}. */
    public static final String REGEX = "^[0-9a-f]{24}$";

    public static final String MESSAGE = "must be a 24-digit id in lower-case hexadecimal";

    private static final Pattern HEX24 = Pattern.compile(REGEX);

    private ObjectIds() {
    }

    public static boolean isValid(String value) {
        return value != null && HEX24.matcher(value).matches();
    }

    public static ObjectId parse(String field, String value) {
        if (!isValid(value)) {
            throw ApiException.badRequest(field, MESSAGE);
        }
        return new ObjectId(value);
    }

    /**
     * A batch of ids from a comma-separated parameter ({@code ids=a,b} or {@code ids=a&ids=b}), read as
     * {@link QueryParameters#list} reads a list: at most {@code max} ids as given (a duplicate counts too), then
     * duplicates merged, order kept. None given is an empty list.
     */
    public static List<ObjectId> parseList(String field, List<String> entries, int max) {
        if (entries.size() > max) {
            throw ApiException.badRequest(field, "at most " + max + " ids per request");
        }
        Set<ObjectId> ids = new LinkedHashSet<>();
        for (String entry : entries) {
            ids.add(parse(field, entry));
        }
        return new ArrayList<>(ids);
    }
}
