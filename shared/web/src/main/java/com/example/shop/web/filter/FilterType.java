package com.example.shop.web.filter;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.example.shop.web.ObjectIds;

import static com.example.shop.web.filter.FilterOperator.EQ;
import static com.example.shop.web.filter.FilterOperator.GT;
import static com.example.shop.web.filter.FilterOperator.GTE;
import static com.example.shop.web.filter.FilterOperator.IN;
import static com.example.shop.web.filter.FilterOperator.LT;
import static com.example.shop.web.filter.FilterOperator.LTE;
import static com.example.shop.web.filter.FilterOperator.PREFIX;

/**
 * The type of a filterable field: how a filter's value is read, and which operators apply. Ids are compared for
 * equality only (their order is their creation time, which is nobody's business); decimals by value; strings
 * for equality and by prefix (an order of strings would be the store's binary one, which matches no
 * language's, so there is no {@code gt} on them).
 */
public enum FilterType {

    /** An id: 24 lower-case hexadecimal digits, as {@link ObjectIds} reads every id; the value an {@code ObjectId}. */
    ID("an id", EnumSet.of(EQ, IN)),
    /**
     * A decimal number in plain digits ({@code 100}, {@code 19.90}, {@code -1}): no sign but a leading minus, no
     * exponent, hexadecimal, {@code NaN} or {@code Infinity}, at most {@value #MAX_DECIMAL_LENGTH} characters;
     * the value a {@link BigDecimal}.
     */
    DECIMAL("a decimal number", EnumSet.of(EQ, IN, GT, GTE, LT, LTE)),
    /** A string, compared as given (case-sensitive, nothing trimmed), at most the field's length; the value a String. */
    STRING("a string", EnumSet.of(EQ, IN, PREFIX));

    /** The longest decimal a filter takes, in characters: any price, with room to spare, and exact in the store. */
    public static final int MAX_DECIMAL_LENGTH = 30;

    private static final Pattern DECIMAL_DIGITS = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private final String description;

    private final Set<FilterOperator> operators;

    FilterType(String description, Set<FilterOperator> operators) {
        this.description = description;
        this.operators = operators;
    }

    /** What a value of this type is, for messages: "a decimal number". */
    public String description() {
        return description;
    }

    /** The operators that apply to a field of this type, in their declared order. */
    public Set<FilterOperator> operators() {
        return EnumSet.copyOf(operators);
    }

    /** The operators, as messages and the API document list them: {@code eq, in, prefix}. */
    public List<String> operatorTokens() {
        return operators.stream().map(FilterOperator::token).toList();
    }

    /**
     * {@code text} as a value of this type, or null when it is not one (the caller names the field);
     * {@code maxLength} bounds a string.
     */
    Object parse(String text, int maxLength) {
        return switch (this) {
            case ID -> ObjectIds.isValid(text) ? new org.bson.types.ObjectId(text) : null;
            case DECIMAL -> text.length() <= MAX_DECIMAL_LENGTH && DECIMAL_DIGITS.matcher(text).matches()
                    ? new BigDecimal(text) : null;
            case STRING -> text.isEmpty() || text.length() > maxLength ? null : text;
        };
    }

    /** Why {@code text} is no value of this type. */
    String malformed(int maxLength) {
        return switch (this) {
            case ID -> ObjectIds.MESSAGE;
            case DECIMAL -> "must be a decimal number in plain digits (such as 100 or 19.90), at most "
                    + MAX_DECIMAL_LENGTH + " characters";
            case STRING -> "must be 1 to " + maxLength + " characters";
        };
    }
}
