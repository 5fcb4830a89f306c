package com.example.shop.gateway.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.http.HttpMethod;

import com.example.shop.gateway.api.ApiDeclaration.AnonymousLookups;
import com.example.shop.gateway.api.ApiDeclaration.Endpoint;
import com.example.shop.gateway.api.ApiDeclaration.ListField;
import com.example.shop.gateway.api.ApiDeclaration.Operation;
import com.example.shop.gateway.api.ApiDeclaration.Resource;
import com.example.shop.gateway.populate.ListOptions;
import com.example.shop.gateway.populate.ResourceSchema;
import com.example.shop.gateway.populate.Shape;
import com.example.shop.web.filter.FilterableField;
import com.example.shop.web.filter.FilterableFields;

/**
 * The {@link ApiDeclaration}, checked, and what the gateway derives from it: the routed paths of each backend,
 * the open and the sign-in-limited operations, the populatable endpoints and the populate schema, and which
 * resources are shared or owned (for the cache). A declaration that does not hold together (a reference to an
 * unknown resource, a backend with no {@code shop.remote} entry, ...) stops the start with every problem named.
 */
public final class PublicApi {

    /** A path the gateway routes: {@code /api} + {@code path} to {@code path} of {@code backend}. */
    public record Route(String backend, String path) {

        public String publicPath() {
            return ApiDeclaration.PREFIX + path;
        }
    }

    /**
     * A populatable endpoint: its method (a GET, or a write whose answer is one document), its gateway path pattern,
     * the resource its documents are, and their shape.
     */
    public record Populatable(HttpMethod method, String path, String resource, Shape shape) {

        /** Whether it is a write's answer (so the write is done by the time it is populated). */
        public boolean isWrite() {
            return !isRead(method);
        }

        /** {@code "GET /api/users/{id}"}. */
        @Override
        public String toString() {
            return method.name() + " " + path;
        }
    }

    /** The methods whose answer can be populated as a write's: they answer the document they wrote. */
    public static final Set<HttpMethod> POPULATABLE_WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final ApiDeclaration declaration;

    private final ResourceSchema schema;

    /**
     * @param remote the names of the remote services configured ({@code shop.remote.<name>})
     * @throws IllegalStateException naming every problem of the declaration
     */
    public PublicApi(ApiDeclaration declaration, Set<String> remote) {
        this.declaration = declaration;
        List<String> problems = problems(declaration, remote);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The public API's declaration (shop.api) does not hold together:\n- "
                    + String.join("\n- ", problems));
        }
        this.schema = schema(declaration);
    }

    /** The declared backends' names, in declaration order. */
    public List<String> backends() {
        return List.copyOf(declaration.backends().keySet());
    }

    public AnonymousLookups anonymousLookups(String backend) {
        return declaration.backends().get(backend).anonymousLookups();
    }

    /** Every resource, by name. */
    public Map<String, Resource> resources() {
        return declaration.resources();
    }

    /** The paths routed to {@code backend}, its resources' paths in declaration order. */
    public List<String> routedPaths(String backend) {
        return routes().stream().filter(route -> route.backend().equals(backend)).map(Route::path).toList();
    }

    /** Every routed path, each with its backend. */
    public List<Route> routes() {
        return declaration.resources().values().stream().filter(resource -> resource.path() != null)
                .map(resource -> new Route(resource.backend(), resource.path())).toList();
    }

    /** The operations anyone may call. */
    public List<Operation> open() {
        return operations(Resource::open);
    }

    /** The operations limited per client address. */
    public List<Operation> signInLimited() {
        return operations(Resource::signInLimited);
    }

    private List<Operation> operations(Function<Resource, List<Operation>> of) {
        return declaration.resources().values().stream().flatMap(resource -> of.apply(resource).stream()).toList();
    }

    /** Whether {@code method} on the gateway path pattern {@code path} is open to anyone. */
    public boolean isOpen(String method, String path) {
        return open().stream().anyMatch(operation -> operation.method().name().equalsIgnoreCase(method)
                && operation.path().equals(path));
    }

    /**
     * The endpoints whose answers can be populated: the GETs, then the writes, each answering one document of its
     * resource.
     */
    public List<Populatable> populatable() {
        List<Populatable> endpoints = new ArrayList<>();
        declaration.resources().forEach((name, resource) -> resource.populatable().forEach(endpoint -> endpoints
                .add(new Populatable(HttpMethod.GET, endpoint.path(), name, endpoint.shape()))));
        declaration.resources().forEach((name, resource) -> resource.populatableWrites().forEach(write -> endpoints
                .add(new Populatable(write.method(), write.path(), name, Shape.ITEM))));
        return endpoints;
    }

    /**
     * The populatable endpoints under one routed path (a resource's {@code path}, {@code /users}): what its route
     * populates ({@code GET /api/users}, {@code GET /api/users/{id}}, {@code GET /api/users/{id}/cart},
     * {@code POST /api/users/{id}/cart/items}, ...); none for {@code /auth}.
     */
    public List<Populatable> populatable(String routedPath) {
        List<String> under = List.of(ApiDeclaration.PREFIX + routedPath);
        return populatable().stream().filter(endpoint -> underAny(endpoint.path(), under)).toList();
    }

    /** The references, embeds, lists, sortable and filterable fields of every resource, as the populate engine plans with them. */
    public ResourceSchema schema() {
        return schema;
    }

    /** The resources whose documents every caller sees alike. */
    public Set<String> shared() {
        Set<String> shared = new TreeSet<>();
        declaration.resources().forEach((name, resource) -> {
            if (resource.shared()) {
                shared.add(name);
            }
        });
        return shared;
    }

    /** The resources with an owner field, each with that field. */
    public Map<String, String> owners() {
        return byResource(Resource::owner);
    }

    /** The resources that have a batch lookup, each with its backend path. */
    public Map<String, String> lookups() {
        return byResource(Resource::lookup);
    }

    /** Each resource whose {@code value} is set, with it, in declaration order. */
    private Map<String, String> byResource(Function<Resource, String> value) {
        Map<String, String> values = new LinkedHashMap<>();
        declaration.resources().forEach((name, resource) -> {
            if (value.apply(resource) != null) {
                values.put(name, value.apply(resource));
            }
        });
        return values;
    }

    /** The list fields that gather documents of {@code resource}: each list's {@code by} field with it. */
    public Map<String, ListField> listsOf(String resource) {
        Map<String, ListField> lists = new LinkedHashMap<>();
        declaration.resources().values().forEach(owner -> owner.lists().forEach((field, list) -> {
            if (list.resource().equals(resource)) {
                lists.put(field, list);
            }
        }));
        return lists;
    }

    /**
     * The fields a page of {@code resource} may be filtered on, as declared ({@code filterable}: {@code id},
     * {@code decimal}, {@code string(100)}); none when it declares none.
     */
    public FilterableFields filterable(String resource) {
        Resource declared = declaration.resources().get(resource);
        if (declared == null) {
            throw new IllegalArgumentException("unknown resource " + resource);
        }
        return filterableFields(declared.filterable());
    }

    private static final Pattern FILTER_TYPE = Pattern.compile("id|decimal|string\\(([1-9][0-9]{0,5})\\)");

    /** The fields declared {@code filterable} ({@code id}, {@code decimal}, {@code string(100)}), as shop-web reads filters. */
    private static FilterableFields filterableFields(Map<String, String> declared) {
        List<FilterableField> fields = new ArrayList<>();
        declared.forEach((name, type) -> {
            Matcher matcher = FILTER_TYPE.matcher(type.strip());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("filterable " + name + " has type '" + type
                        + "'; a type is id, decimal or string(<max length>)");
            }
            fields.add(switch (matcher.group().charAt(0)) {
                case 'i' -> FilterableField.id(name);
                case 'd' -> FilterableField.decimal(name);
                default -> FilterableField.string(name, Integer.parseInt(matcher.group(1)));
            });
        });
        return FilterableFields.of(fields.toArray(FilterableField[]::new));
    }

    /** Whether {@code field} is declared filterable as an id. */
    private static boolean filtersAsId(Resource resource, String field) {
        return "id".equals(resource.filterable().get(field));
    }

    private static ResourceSchema schema(ApiDeclaration declaration) {
        ResourceSchema.Builder schema = ResourceSchema.builder();
        declaration.resources().forEach((name, resource) -> {
            schema.resource(name);
            resource.references().forEach((field, target) -> schema.ref(name, field, target));
            resource.embeds().forEach((field, embedded) -> schema.embed(name, field, embedded));
            resource.lists().forEach((field, list) -> schema.list(name, field, list.resource(), list.by()));
            if (!resource.sortable().isEmpty()) {
                schema.sortable(name, resource.sortable().toArray(String[]::new));
            }
            if (!resource.filterable().isEmpty()) {
                schema.filterable(name, filterableFields(resource.filterable()));
            }
        });
        return schema.build();
    }

    private static List<String> problems(ApiDeclaration declaration, Set<String> remote) {
        List<String> problems = new ArrayList<>();
        Map<String, Resource> resources = declaration.resources();
        declaration.backends().keySet().stream().filter(backend -> !remote.contains(backend))
                .forEach(backend -> problems.add("backend " + backend + " has no instances: set shop.remote." + backend));
        List<String> routed = new ArrayList<>();
        resources.forEach((name, resource) -> {
            String at = "resource " + name + ": ";
            if (resource.backend() != null && !declaration.backends().containsKey(resource.backend())) {
                problems.add(at + "backend " + resource.backend() + " is not declared (shop.api.backends: "
                        + declaration.backends().keySet() + ")");
            }
            if (resource.backend() == null && (resource.path() != null || resource.lookup() != null)) {
                problems.add(at + "a path or lookup needs a backend");
            }
            Stream.of(resource.path(), resource.lookup()).filter(path -> path != null && !path.matches("/[^/].*"))
                    .forEach(path -> problems.add(at + "path " + path + " must start with one /"));
            if (resource.path() != null) {
                routed.add(ApiDeclaration.PREFIX + resource.path());
            }
            resource.references().forEach((field, target) -> {
                if (!resources.containsKey(target)) {
                    problems.add(at + "reference " + field + " points to unknown resource " + target);
                }
                else if (resources.get(target).lookup() == null) {
                    problems.add(at + "reference " + field + " points to " + target + ", which has no lookup");
                }
            });
            resource.embeds().forEach((field, embedded) -> {
                if (!resources.containsKey(embedded)) {
                    problems.add(at + "embed " + field + " is unknown resource " + embedded);
                }
            });
            resource.lists().forEach((field, list) -> {
                Resource listed = resources.get(list.resource());
                if (listed == null) {
                    problems.add(at + "list " + field + " lists unknown resource " + list.resource());
                }
                else if (!name.equals(listed.references().get(list.by()))) {
                    problems.add(at + "list " + field + " needs " + list.resource() + "." + list.by()
                            + " to be a reference to " + name);
                }
                else if (listed.backend() == null) {
                    problems.add(at + "list " + field + " lists " + list.resource() + ", which has no backend");
                }
            });
            try {
                filterableFields(resource.filterable());
            }
            catch (IllegalArgumentException wrong) {
                problems.add(at + wrong.getMessage());
            }
            resource.filterable().keySet().stream().filter(ListOptions.NAMES::contains)
                    .forEach(field -> problems.add(at + "filterable " + field + " is the name of a list option "
                            + ListOptions.NAMES + "; it could not be told from it in populate"));
            if (resource.match() != null && (resource.backend() == null || !resource.match().matches("/[^/].*"))) {
                problems.add(at + "match " + resource.match() + " needs a backend and a path that starts with one /");
            }
            if (resource.match() != null && resource.filterable().isEmpty()) {
                problems.add(at + "match needs filterable fields to match on");
            }
            // a page filtered through a reference (a top-level one) or a list is the page of the ids the target matched
            resource.references().forEach((field, target) -> {
                if (resource.path() != null && !field.contains(".") && resources.containsKey(target)
                        && resources.get(target).match() != null && !filtersAsId(resource, field)) {
                    problems.add(at + "reference " + field + " leads to " + target + ", which matches ids: "
                            + field + " must be filterable as an id");
                }
            });
            resource.lists().forEach((field, list) -> {
                Resource listed = resources.get(list.resource());
                if (resource.path() != null && listed != null && listed.match() != null
                        && (!filtersAsId(resource, "id") || !filtersAsId(listed, list.by()))) {
                    problems.add(at + "list " + field + " lists " + list.resource() + ", which matches ids: id must be"
                            + " filterable as an id, and " + list.resource() + "." + list.by() + " too");
                }
            });
            if (resource.owner() != null && !resource.references().containsKey(resource.owner())) {
                problems.add(at + "owner " + resource.owner() + " is not one of its references " + resource.references().keySet());
            }
        });
        resources.forEach((name, resource) -> {
            Stream.of(resource.open(), resource.signInLimited()).flatMap(List::stream)
                    .map(Operation::path)
                    .filter(path -> !underAny(path, routed))
                    .forEach(path -> problems.add("resource " + name + ": operation path " + path + " is not routed " + routed));
            resource.populatable().stream().map(Endpoint::path).filter(path -> !underAny(path, routed))
                    .forEach(path -> problems.add("resource " + name + ": populatable " + path + " is not routed " + routed));
            resource.populatableWrites().forEach(write -> {
                if (!POPULATABLE_WRITES.contains(write.method())) {
                    problems.add("resource " + name + ": populatable write " + write
                            + " is not a POST, PUT or PATCH (which answer the document they wrote)");
                }
                if (!underAny(write.path(), routed)) {
                    problems.add("resource " + name + ": populatable write " + write + " is not routed " + routed);
                }
            });
        });
        return problems;
    }

    private static boolean underAny(String path, List<String> routed) {
        return routed.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    /** Whether {@code method} is a read (which makes nothing stale and is open with its GET). */
    public static boolean isRead(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    }
}
