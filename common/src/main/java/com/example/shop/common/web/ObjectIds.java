package com.example.shop.common.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bson.types.ObjectId;

/** Parsing of ids that arrive as text: 24 hexadecimal digits, else a 400 that names the field. */
public final class ObjectIds {

    /** For Bean Validation: {@code @Pattern(regexp = ObjectIds.REGEX)}. */
    public static final String REGEX = "^[0-9a-fA-F]{24}$";

    public static final String MESSAGE = "must be a 24-hex-digit id";

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
     * A batch of ids from a comma-separated parameter ({@code ids=a,b} or {@code ids=a&ids=b}): blanks
     * dropped, at most {@code max} ids as given (a duplicate counts too), then duplicates merged, order kept.
     */
    public static List<ObjectId> parseList(String field, List<String> values, int max) {
        Set<ObjectId> ids = new LinkedHashSet<>();
        int given = 0;
        for (String value : values) {
            for (String part : value.split(",")) {
                String id = part.strip();
                if (!id.isEmpty()) {
                    if (++given > max) {
                        throw ApiException.badRequest(field, "at most " + max + " ids per request");
                    }
                    ids.add(parse(field, id));
                }
            }
        }
        return new ArrayList<>(ids);
    }
}
