package com.example.shop.web.filter;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

import org.bson.types.ObjectId;

/**
 * One condition of a list's query: {@code field} {@code operator} {@code values}, each value of the field's
 * type ({@code ObjectId}, {@code BigDecimal}, {@code String}); one value but for {@code in}, which has one or
 * more. The conditions of a query all hold (AND).
 */
public record Filter(FilterableField field, FilterOperator operator, List<Object> values) {

    public Filter {
        values = List.copyOf(values);
    }

    /** The one value of any operator but {@code in}. */
    public Object value() {
        return values.get(0);
    }

    /**
     * The filter as its query parameter's value, {@code gte.100} or {@code in.<id>,<id>}, which
     * {@link FilterParser} reads back as this filter: how a caller (the gateway) passes on filters it has read.
     */
    public String written() {
        return operator.token() + "." + values.stream().map(Filter::written).collect(Collectors.joining(","));
    }

    private static String written(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value instanceof ObjectId id ? id.toHexString() : value.toString();
    }
}
