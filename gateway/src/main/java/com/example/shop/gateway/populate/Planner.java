package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import com.example.shop.web.ApiException;
import com.example.shop.web.FieldProblem;
import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterOperator;
import com.example.shop.web.filter.FilterParser;
import com.example.shop.web.filter.FilterableFields;

/**
 * Turns parsed specs into a {@link PopulatePlan} for one resource: each path is resolved reference by
 * reference against the {@link ResourceSchema}, and paths sharing a prefix share its nodes. A prefix
 * that is only passed through ({@code cart.items.productId} of {@code cart.items.productId.userId}) is
 * populated whole on the way, unless it is also asked for with a selection ({@code userId(name)} and
 * {@code userId.cart.items.productId}: the owner's name and cart). Selections of one path add up; asking
 * for it without one keeps the whole document.
 * <p>
 * Options ({@code [sort=-price;limit=3]}, {@code [count]}, filters such as {@code [price=gte.100]}) are
 * checked here, against the schema: only a list field takes them, sorting only on the fields its target declares
 * sortable and filtering only on those it declares filterable, each option once (a filter once per operator);
 * a path given options twice must be given the same ones. A list field asked for without options takes {@link ListOptions#DEFAULT}.
 */
public final class Planner {

    private final ResourceSchema schema;

    private final int maxDepth;

    public Planner(ResourceSchema schema, int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        this.schema = schema;
        this.maxDepth = maxDepth;
    }

    public int maxDepth() {
        return maxDepth;
    }

    public PopulatePlan plan(String resource, List<PopulateSpec> specs) {
        Map<String, Draft> roots = new LinkedHashMap<>();
        for (PopulateSpec spec : specs) {
            List<ResourceSchema.Ref> chain = resolve(resource, spec);
            Map<String, Draft> level = roots;
            String path = "";
            for (int i = 0; i < chain.size(); i++) {
                ResourceSchema.Ref ref = chain.get(i);
                path = path.isEmpty() ? ref.path() : path + "." + ref.path();
                String nodePath = path;
                Draft draft = level.computeIfAbsent(ref.path(), k -> new Draft(nodePath, ref));
                boolean last = i == chain.size() - 1;
                if (last && spec.select().isEmpty()) {
                    draft.whole = true;
                }
                else if (last) {
                    draft.select.addAll(spec.select());
                }
                if (last && !spec.options().isEmpty()) {
                    draft.give(options(ref, nodePath, spec), spec);
                }
                level = draft.children;
            }
        }
        return new PopulatePlan(resource, roots.values().stream().map(Draft::freeze).toList());
    }

    private List<ResourceSchema.Ref> resolve(String resource, PopulateSpec spec) {
        List<String> segments = spec.segments();
        List<ResourceSchema.Ref> chain = new ArrayList<>();
        String current = resource;
        int at = 0;
        while (at < segments.size()) {
            var ref = schema.refAt(current, segments, at);
            if (ref.isEmpty()) {
                List<String> allowed = schema.paths(resource, maxDepth);
                throw new PopulateException("populate: " + resource + " has no path '" + spec.path() + "'; it can populate "
                        + (allowed.isEmpty() ? "nothing" : String.join(", ", allowed)), allowed);
            }
            chain.add(ref.get());
            at += ref.get().field().size();
            current = ref.get().target();
        }
        if (chain.size() > maxDepth) {
            throw new PopulateException("populate: '" + spec.path() + "' nests " + chain.size()
                    + " references; the most allowed is " + maxDepth, schema.paths(resource, maxDepth));
        }
        return chain;
    }

    /** The options of {@code spec}, whose last reference is {@code ref}, at {@code path}; a 400 when they make no sense there. */
    private ListOptions options(ResourceSchema.Ref ref, String path, PopulateSpec spec) {
        PopulateSpec.Option first = spec.options().get(0);
        if (!ref.isList()) {
            throw PopulateException.option(first.name(), "'" + path + "' is a single reference; options such as '"
                    + first.name() + "' apply only to lists of documents", List.of());
        }
        FilterableFields filterable = schema.filterable(ref.target());
        List<ListOptions.SortKey> sort = List.of();
        MultiValueMap<String, String> filters = new LinkedMultiValueMap<>();
        int skip = 0;
        int limit = ListOptions.MAX_LIMIT;
        boolean count = false;
        Set<String> given = new LinkedHashSet<>();
        for (PopulateSpec.Option option : spec.options()) {
            if (!ListOptions.NAMES.contains(option.name())) {
                filters.add(filter(ref.target(), filterable, option, spec), option.value());
                continue;
            }
            if (!given.add(option.name())) {
                throw PopulateException.option(option.name(), "option '" + option.name() + "' given twice in '" + spec
                        + "'", List.of());
            }
            switch (option.name()) {
                case "sort" -> sort = sort(ref.target(), option, spec);
                case "skip" -> skip = number(option, spec, 0, ListOptions.MAX_SKIP);
                case "limit" -> limit = number(option, spec, 1, ListOptions.MAX_LIMIT);
                default -> {
                    if (option.value() != null) {
                        throw PopulateException.option("count", "count takes no value, in '" + spec + "'", List.of());
                    }
                    count = true;
                }
            }
        }
        if (count) {
            for (String option : given) {
                if (!option.equals("count")) {
                    throw PopulateException.option(option, "'" + option + "' makes no sense with count, "
                            + "which gives only the number (of the documents that pass the filters), in '" + spec + "'",
                            List.of());
                }
            }
        }
        return new ListOptions(sort, filters(filterable, filters, spec), skip, limit, count);
    }

    /** The field of a filter {@code option} on {@code target}'s documents; a 400 for any other unknown option. */
    private static String filter(String target, FilterableFields filterable, PopulateSpec.Option option,
            PopulateSpec spec) {
        String name = option.name();
        if (filterable.get(name).isEmpty() && filterable.refusal(name).isEmpty()) {
            List<String> allowed = new ArrayList<>(ListOptions.NAMES);
            allowed.addAll(filterable.names());
            throw PopulateException.option(name, "unknown option '" + name + "' in '" + spec + "'; a list takes "
                    + String.join(", ", ListOptions.NAMES) + (filterable.names().isEmpty() ? ""
                            : ", and filters on " + target + " fields " + String.join(", ", filterable.names())), allowed);
        }
        if (option.quotedComma() && option.value().startsWith(FilterOperator.IN.token() + ".")) {
            throw PopulateException.option(name, "filter '" + name + "' has a comma in quotes, in '" + spec
                    + "'; 'in' separates its values at every comma, so none of them can hold one", filterable.names());
        }
        return name;
    }

    /**
     * The filters given, read as the target's service reads those of its pages ({@link FilterParser}: the same
     * operators, bounds and messages), in the order of its fields and then of the operators, so that the same
     * filters given in another order are the same options. A 400 naming the first field at fault.
     */
    private static List<Filter> filters(FilterableFields filterable, MultiValueMap<String, String> given,
            PopulateSpec spec) {
        if (given.isEmpty()) {
            return List.of();
        }
        List<Filter> filters;
        try {
            filters = new ArrayList<>(FilterParser.parse(given, filterable, Set.of()));
        }
        catch (ApiException refused) {
            FieldProblem problem = refused.errors().get(0);
            throw PopulateException.option(problem.field(), "filter '" + problem.field() + "' " + problem.message()
                    + ", in '" + spec + "'", filterable.names());
        }
        filters.sort(Comparator.<Filter>comparingInt(filter -> filterable.names().indexOf(filter.field().name()))
                .thenComparing(Filter::operator));
        return filters;
    }

    private List<ListOptions.SortKey> sort(String target, PopulateSpec.Option option, PopulateSpec spec) {
        List<String> sortable = schema.sortable(target).stream().sorted().toList();
        if (option.value() == null) {
            throw PopulateException.option("sort", "sort needs fields, such as sort=-" + (sortable.isEmpty() ? "field"
                    : sortable.get(0)) + ", in '" + spec + "'", sortable);
        }
        List<ListOptions.SortKey> keys = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String written : option.value().split(",", -1)) {
            boolean descending = written.startsWith("-");
            String field = descending || written.startsWith("+") ? written.substring(1) : written;
            if (!sortable.contains(field)) {
                throw PopulateException.option("sort", "cannot sort " + target + " documents on '" + field + "'; sortable: "
                        + (sortable.isEmpty() ? "none" : String.join(", ", sortable)) + ", in '" + spec + "'", sortable);
            }
            if (!seen.add(field)) {
                throw PopulateException.option("sort", "sort names '" + field + "' twice, in '" + spec + "'", sortable);
            }
            keys.add(new ListOptions.SortKey(field, descending));
        }
        return keys;
    }

    /** The value of {@code option}, a number per parent document, from {@code min} to {@code max}; a 400 naming it otherwise. */
    private static int number(PopulateSpec.Option option, PopulateSpec spec, int min, int max) {
        String value = option.value() == null ? "" : option.value();
        if (value.matches("[0-9]{1,4}")) {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        }
        throw PopulateException.option(option.name(), option.name() + " must be a whole number from " + min + " to "
                + max + " (per parent document), got '" + value + "' in '" + spec + "'", List.of());
    }

    private static final class Draft {

        final String path;

        final ResourceSchema.Ref ref;

        boolean whole;

        final Set<String> select = new LinkedHashSet<>();

        final Map<String, Draft> children = new LinkedHashMap<>();

        /** Null until a spec gives options. */
        ListOptions options;

        PopulateSpec optionsGivenBy;

        Draft(String path, ResourceSchema.Ref ref) {
            this.path = path;
            this.ref = ref;
        }

        void give(ListOptions given, PopulateSpec spec) {
            if (options != null && !options.equals(given)) {
                throw PopulateException.option(spec.options().get(0).name(), "'" + path + "' is given different options in '"
                        + optionsGivenBy + "' and '" + spec + "'", List.of());
            }
            options = given;
            optionsGivenBy = spec;
        }

        /** Asked for whole, or only passed through: the whole document; otherwise the fields selected. */
        PlanNode freeze() {
            ListOptions listOptions = !ref.isList() ? null : options == null ? ListOptions.DEFAULT : options;
            if (listOptions != null && listOptions.count() && !select.isEmpty()) {
                throw PopulateException.option("count", "'" + path + "' becomes a number with count; a field selection "
                        + select + " makes no sense with it", List.of());
            }
            if (listOptions != null && listOptions.count() && !children.isEmpty()) {
                throw PopulateException.option("count", "'" + path + "' becomes a number with count; nothing can be "
                        + "populated inside it (" + children.values().iterator().next().path + ")", List.of());
            }
            return new PlanNode(path, ref.field(), ref.target(), ref.foreignField(), whole ? Set.of() : select,
                    listOptions, children.values().stream().map(Draft::freeze).toList());
        }
    }
}
