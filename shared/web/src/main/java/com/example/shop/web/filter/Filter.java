package com.example.shop.web.filter;

import java.util.List;

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
}
