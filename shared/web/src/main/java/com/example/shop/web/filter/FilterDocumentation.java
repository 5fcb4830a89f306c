package com.example.shop.web.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OpenApiCustomizer;

import com.example.shop.web.ObjectIds;

/**
 * The filters of a list in its service's API document, from the same {@link FilterableFields} the service reads
 * them with: on {@code GET path}, one query parameter per field, with its type, operators and bounds in words
 * and, for programs, as {@value #EXTENSION} ({@code {"type": "decimal", "operators": ["eq", ...], "maxValues":
 * 100, ...}}). The gateway's document carries the services' operations as they are, so it shows the same. A
 * service declares one as a bean ({@code @Component} subclass) per filtered list.
 */
public class FilterDocumentation implements OpenApiCustomizer {

    /** The extension of a filter parameter that describes it for programs. */
    public static final String EXTENSION = "x-filter";

    private final String path;

    private final FilterableFields fields;

    public FilterDocumentation(String path, FilterableFields fields) {
        this.path = path;
        this.fields = fields;
    }

    @Override
    public void customise(OpenAPI openApi) {
        PathItem item = openApi.getPaths() == null ? null : openApi.getPaths().get(path);
        Operation get = item == null ? null : item.getGet();
        if (get == null) {
            return;
        }
        for (FilterableField field : fields.all()) {
            if (get.getParameters() != null) {
                // this declaration replaces any other description of the same parameter
                get.getParameters().removeIf(parameter -> field.name().equals(parameter.getName()));
            }
            get.addParametersItem(parameter(field));
        }
    }

    /**
     * {@code field} for programs, the value of {@value #EXTENSION}: its type, operators and bounds
     * ({@code {"type": "decimal", "operators": ["eq", ...], "maxValues": 100, "maxLength": 30}}); the gateway
     * describes the filters inside populate with it too.
     */
    public static Map<String, Object> described(FilterableField field) {
        FilterType type = field.type();
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("type", type.name().toLowerCase(Locale.ROOT));
        described.put("operators", type.operatorTokens());
        described.put("maxValues", FilterParser.maxValues(type));
        switch (type) {
            case STRING -> described.put("maxLength", field.maxLength());
            case DECIMAL -> described.put("maxLength", FilterType.MAX_DECIMAL_LENGTH);
            case ID -> described.put("pattern", ObjectIds.REGEX);
        }
        return described;
    }

    /** The query parameter that filters on {@code field}. */
    static Parameter parameter(FilterableField field) {
        FilterType type = field.type();
        Map<String, Object> described = described(field);
        ArraySchema schema = new ArraySchema();
        schema.setItems(new StringSchema().pattern("^(" + String.join("|", type.operatorTokens()) + ")\\..+$"
                + (type == FilterType.ID ? "|^[0-9a-f]{24}(,[0-9a-f]{24})*$" : "")));
        return new Parameter()
                .name(field.name())
                .in("query")
                .required(false)
                .explode(true)
                .description(description(field))
                .schema(schema)
                .example(example(field))
                .extensions(Map.of(EXTENSION, described));
    }

    private static String description(FilterableField field) {
        FilterType type = field.type();
        String value = switch (type) {
            case ID -> "an id (24 lower-case hexadecimal digits)";
            case DECIMAL -> "a decimal number in plain digits (`100`, `19.90`), at most " + FilterType.MAX_DECIMAL_LENGTH
                    + " characters";
            case STRING -> "1 to " + field.maxLength() + " characters, compared as given (case-sensitive)";
        };
        return "Filter on `" + field.name() + "`: `" + field.name() + "=<operator>.<value>`, operators "
                + String.join(", ", type.operatorTokens().stream().map(op -> "`" + op + "`").toList())
                + "; the value " + value + "; `in` takes 1 to " + FilterParser.maxValues(type) + " comma-separated values"
                + (type == FilterType.STRING ? ", `prefix` a start of the string" : "")
                + (type == FilterType.ID ? "; a bare list of ids (`" + field.name() + "=<id>,<id>`) is an `in`" : "")
                + ". Repeated with other operators, every condition holds (`price=gte.10&price=lt.20`), as do filters on"
                + " several fields.";
    }

    private static List<String> example(FilterableField field) {
        return switch (field.type()) {
            case ID -> List.of("in.5f1d7f1c2b3a4d5e6f708192");
            case DECIMAL -> List.of("gte.10", "lt.100");
            case STRING -> List.of("prefix.A");
        };
    }
}
