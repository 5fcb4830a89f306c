package com.example.shop.gateway.semijoin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.data.domain.PageRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import com.example.shop.gateway.api.ApiDeclaration;
import com.example.shop.gateway.api.ApiDeclaration.Resource;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.routing.PopulateGatewayFilterFactory;
import com.example.shop.web.ApiException;
import com.example.shop.web.FieldProblem;
import com.example.shop.web.Paging;
import com.example.shop.web.filter.FilterableFields;

/**
 * Reads the filters through a reference of a page's query, one hop, as the public API declares what they go
 * through ({@link PublicApi}): a parameter {@code <path>.<field>} whose {@code path} is a reference of the page's
 * resource ({@code userId.name=eq.Ada} on products, through {@code userId} to a user) or one of its lists
 * ({@code products.price=gte.100} on users: users with at least one such product), and whose target resource
 * declares a {@code match} path. Each is a semi-join: the target's service answers the ids that match (one call per
 * path, every condition on the path in it), then the page is the page of those ids ({@link Join#key}
 * {@code =in.<ids>}). Nothing is called here.
 * <p>
 * The whole request is checked before anything is called, as the services would check it: each condition against
 * the target's declared filterable fields (a field not among them, such as {@code userId.email}, is a 400 naming the
 * parameter; so is a second hop, {@code userId.products.price}), the page's own filters against the resource's, and
 * {@code page}, {@code size} and {@code sort}; every problem named in one 400. A filter of the page on the key itself
 * ({@code userId=in.a,b} next to {@code userId.name=...}; {@code id=...} next to {@code products.price=...}) is moved
 * into the target's conditions (as {@code id=...}, {@code userId=...}), so that it narrows the ids matched rather than
 * meeting them in the page: the bound then counts what can be on the page.
 */
public final class ReferenceFilters {

    /**
     * What a page's filters on one path need: the target's ids ({@code GET <match>?<conditions>&of=<of>}) that the
     * page's {@code key} must be among.
     *
     * @param path       the reference or list filtered through ({@code userId}, {@code products})
     * @param target     the resource it leads to
     * @param match      the target's match path ({@code /internal/users/ids})
     * @param of         the target's id field answered: {@code id} through a reference, the list's {@code by} through a
     *                   list
     * @param key        the page's id field the answer filters: the reference through a reference, {@code id} through
     *                   a list
     * @param conditions the target's filters, as its service reads them ({@code name=eq.Ada})
     * @param parameters the page's parameters they come from ({@code userId.name}), to name in a problem
     */
    public record Join(String path, String target, String match, String of, String key,
            MultiValueMap<String, String> conditions, List<String> parameters) {
    }

    /**
     * A page's filters through references.
     *
     * @param resource the page's resource
     * @param joins    one per path filtered through, in the order the query names them
     * @param removed  the parameters the page's own service does not read (the joins', and the key's own filters)
     * @param page     the page asked for
     */
    public record Plan(String resource, List<Join> joins, Set<String> removed, PageRequest page) {
    }

    /**
     * The way from a resource through one of its references or lists to a resource that matches ids.
     *
     * @param target the resource it leads to
     * @param match  the target's match path
     * @param of     the target's id field its matches answer
     * @param key    the page's id field they filter
     * @param fields the target's fields that filter
     * @param list   whether it is a list (the page's documents with at least one match) rather than a reference
     */
    public record Way(String target, String match, String of, String key, FilterableFields fields, boolean list) {
    }

    /** The parameters of a page that are no filters of its resource: the page's own, and populate's. */
    private static final Set<String> NOT_FILTERS;

    static {
        Set<String> others = new HashSet<>(Paging.PARAMETERS);
        others.add(PopulateGatewayFilterFactory.PARAMETER);
        NOT_FILTERS = Set.copyOf(others);
    }

    private final Map<String, Map<String, Way>> ways = new LinkedHashMap<>();

    private final Map<String, FilterableFields> filterable = new LinkedHashMap<>();

    private final Map<String, Set<String>> sortable = new LinkedHashMap<>();

    private final Map<String, String> pages = new LinkedHashMap<>();

    public ReferenceFilters(PublicApi api) {
        Map<String, Resource> resources = api.resources();
        resources.forEach((name, resource) -> {
            Map<String, Way> from = new LinkedHashMap<>();
            resource.references().forEach((field, target) -> {
                Resource to = resources.get(target);
                if (to.match() != null && !field.contains(".")) {
                    from.put(field, new Way(target, to.match(), "id", field, api.filterable(target), false));
                }
            });
            resource.lists().forEach((field, list) -> {
                Resource listed = resources.get(list.resource());
                if (listed.match() != null) {
                    from.put(field, new Way(list.resource(), listed.match(), list.by(), "id",
                            api.filterable(list.resource()), true));
                }
            });
            if (!from.isEmpty() && resource.path() != null) {
                ways.put(name, from);
                filterable.put(name, api.filterable(name));
                sortable.put(name, resource.sortable());
                pages.put(ApiDeclaration.PREFIX + resource.path(), name);
            }
        });
    }

    /** The resource whose page is at {@code path} ({@code /api/products}) and can be filtered through, if any. */
    public Optional<String> pageAt(String path) {
        return Optional.ofNullable(pages.get(path));
    }

    /** The pages that can be filtered through references: each gateway path ({@code /api/products}) with its resource. */
    public Map<String, String> pages() {
        return Collections.unmodifiableMap(pages);
    }

    /** The ways a page of {@code resource} can be filtered through, by the reference or list they go through. */
    public Map<String, Way> ways(String resource) {
        return ways.getOrDefault(resource, Map.of());
    }

    /**
     * The filters through references of a page of {@code resource} asked with {@code query}; empty when it has none
     * (the page goes as it came).
     *
     * @throws ApiException a 400 naming every parameter that is wrong
     */
    public Optional<Plan> plan(String resource, MultiValueMap<String, String> query) {
        Map<String, Way> from = ways.getOrDefault(resource, Map.of());
        Map<String, MultiValueMap<String, String>> conditions = new LinkedHashMap<>();
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        List<FieldProblem> problems = new ArrayList<>();
        query.forEach((name, values) -> {
            int dot = name.indexOf('.');
            if (dot > 0 && from.containsKey(name.substring(0, dot))) {
                String path = name.substring(0, dot);
                conditions.computeIfAbsent(path, p -> new LinkedMultiValueMap<>()).put(name.substring(dot + 1), values);
                parameters.computeIfAbsent(path, p -> new ArrayList<>()).add(name);
            }
        });
        if (conditions.isEmpty()) {
            return Optional.empty();
        }
        Set<String> removed = new HashSet<>();
        parameters.values().forEach(removed::addAll);
        List<Join> joins = new ArrayList<>();
        conditions.forEach((path, on) -> {
            Way way = from.get(path);
            problems.addAll(check(path, way, on));
            MultiValueMap<String, String> asked = new LinkedMultiValueMap<>(on);
            List<String> keyFilters = query.get(way.key());
            if (keyFilters != null) {
                // the page's own filter on the key narrows the target's ids instead
                asked.addAll(way.of(), keyFilters);
                removed.add(way.key());
            }
            joins.add(new Join(path, way.target(), way.match(), way.of(), way.key(), asked, parameters.get(path)));
        });
        MultiValueMap<String, String> own = new LinkedMultiValueMap<>(query);
        parameters.values().forEach(names -> names.forEach(own::remove));
        PageRequest page = null;
        try {
            filterable.get(resource).parse(own, NOT_FILTERS);
        }
        catch (ApiException wrong) {
            problems.addAll(wrong.errors());
        }
        try {
            page = Paging.of(own, sortable.get(resource));
        }
        catch (ApiException wrong) {
            problems.addAll(wrong.errors().isEmpty()
                    ? List.of(new FieldProblem("page", wrong.getBody().getDetail())) : wrong.errors());
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return Optional.of(new Plan(resource, List.copyOf(joins), Set.copyOf(removed), page));
    }

    /** The problems of the conditions {@code on} one path, each named as the page's parameter. */
    private static List<FieldProblem> check(String path, Way way, MultiValueMap<String, String> on) {
        List<FieldProblem> problems = new ArrayList<>();
        MultiValueMap<String, String> known = new LinkedMultiValueMap<>();
        on.forEach((field, values) -> {
            String parameter = path + "." + field;
            if (field.contains(".")) {
                problems.add(new FieldProblem(parameter, "filters go one reference deep: " + path + " leads to "
                        + way.target() + ", whose fields that filter are " + String.join(", ", way.fields().names())));
            }
            else if (way.fields().get(field).isEmpty()) {
                problems.add(new FieldProblem(parameter, way.target() + " cannot be filtered on '" + field
                        + "' (a field not everyone may see, or no field of it); filterable through " + path + ": "
                        + String.join(", ", way.fields().names())));
            }
            else {
                known.put(field, values);
            }
        });
        try {
            way.fields().parse(known, Set.of());
        }
        catch (ApiException wrong) {
            wrong.errors().forEach(problem -> problems.add(new FieldProblem(path + "." + problem.field(), problem.message())));
        }
        return problems;
    }
}
