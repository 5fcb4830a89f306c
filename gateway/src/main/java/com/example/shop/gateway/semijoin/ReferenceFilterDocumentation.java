package com.example.shop.gateway.semijoin;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import com.example.shop.gateway.semijoin.ReferenceFilters.Way;
import com.example.shop.web.filter.FilterType;
import com.example.shop.web.filter.FilterableField;

/**
 * The filters through a reference in the gateway's API document ({@code ApiDocument}), from the same declaration
 * {@link ReferenceFilters} reads them with: on each page that can be filtered through ({@code GET /api/products}),
 * one query parameter per field of each target ({@code userId.name}, {@code products.price}), with its operators and
 * the bound in words and, for programs, as {@value #EXTENSION} (as a service describes its page's own filters as
 * {@code x-filter}, with {@code through}, {@code target}, {@code field} and {@code maxIds}); and the 422 past the bound.
 */
public final class ReferenceFilterDocumentation implements Consumer<ObjectNode> {

    /**
     * The extension of a filter through a reference that describes it for programs: not the services' {@code x-filter},
     * which stays the description of a page's own filters, as each service publishes it.
     */
    public static final String EXTENSION = "x-reference-filter";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ReferenceFilters filters;

    private final int maxIds;

    public ReferenceFilterDocumentation(ReferenceFilters filters, ReferenceFilterProperties properties) {
        this.filters = filters;
        this.maxIds = properties.maxIds();
    }

    /** Adds the parameters and the 422 to each page's GET in {@code document}. */
    @Override
    public void accept(ObjectNode document) {
        filters.pages().forEach((path, resource) -> {
            if (!(document.path("paths").path(path).get("get") instanceof ObjectNode get)) {
                return;
            }
            ArrayNode parameters = get.has("parameters") ? (ArrayNode) get.get("parameters") : get.putArray("parameters");
            filters.ways(resource).forEach((through, way) -> way.fields().all()
                    .forEach(field -> parameters.add(parameter(resource, through, way, field))));
            if (get.path("responses") instanceof ObjectNode responses) {
                responses.putObject("422").put("description", "A filter through a reference matches more than " + maxIds
                        + " documents (`shop.api.reference-filters.max-ids`): problem+json naming the filter's"
                        + " parameters and the bound (`maxIds`); the page's service was not asked.");
            }
        });
    }

    private ObjectNode parameter(String resource, String through, Way way, FilterableField field) {
        String name = through + "." + field.name();
        FilterType type = field.type();
        ObjectNode parameter = NODES.objectNode();
        parameter.put("name", name);
        parameter.put("in", "query");
        parameter.put("required", false);
        parameter.put("explode", true);
        parameter.put("description", "Filter through `" + through + "` on the " + way.target() + "'s `" + field.name()
                + "`: the " + resource + "s " + (way.list() ? "with at least one " + way.target() + " whose"
                        : "whose " + way.target() + "'s") + " `" + field.name() + "` passes `" + name
                + "=<operator>.<value>`, with the operators and values of a page of " + way.target() + "s ("
                + String.join(", ", type.operatorTokens().stream().map(op -> "`" + op + "`").toList())
                + "). Conditions on the same path all hold and are one call to the " + way.target()
                + "s' service; they hold with the page's own filters too. At most " + maxIds + " "
                + way.target() + "s may match (a 422 beyond); only what the caller may see matches.");
        ObjectNode items = parameter.putObject("schema").put("type", "array").putObject("items");
        items.put("type", "string");
        items.put("pattern", "^(" + String.join("|", type.operatorTokens()) + ")\\..+$");
        parameter.set("example", NODES.arrayNode().add(switch (type) {
            case ID -> "eq.5f1d7f1c2b3a4d5e6f708192";
            case DECIMAL -> "gte.100";
            case STRING -> "prefix.A";
        }));
        ObjectNode described = parameter.putObject(EXTENSION);
        described.put("type", type.name().toLowerCase(Locale.ROOT));
        ArrayNode operators = described.putArray("operators");
        type.operatorTokens().forEach(operators::add);
        described.put("through", through);
        described.put("target", way.target());
        described.put("field", field.name());
        described.put("list", way.list());
        described.put("maxIds", maxIds);
        if (type == FilterType.STRING) {
            described.put("maxLength", field.maxLength());
        }
        return parameter;
    }
}
