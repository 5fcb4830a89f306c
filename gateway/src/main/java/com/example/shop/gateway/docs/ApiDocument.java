package com.example.shop.gateway.docs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import com.example.shop.gateway.api.ApiDeclaration;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.ListOptions;
import com.example.shop.web.filter.FilterDocumentation;
import com.example.shop.web.filter.FilterableField;
import com.example.shop.gateway.populate.ResourceSchema;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.routing.InternalPaths;
import com.example.shop.gateway.routing.PopulateGatewayFilterFactory;
import com.example.shop.gateway.web.GatewayJson;

/**
 * The public API as one OpenAPI 3.1 document, put together from the services' own documents
 * ({@code GET /v3/api-docs} of an instance of each, load-balanced and guarded as a lookup): each
 * backend's paths under its resource path move to the gateway's ({@code /users/{id}} becomes
 * {@code /api/users/{id}}), nothing else of theirs is kept (no {@code /internal/**}), and every GET (or write
 * answering the document it wrote) that can be populated gets the {@code populate} parameter, with the paths its
 * resource can populate, and the
 * {@code Populate-Unresolved} response header; the open operations take a request without a token; the gateway's
 * own parameters are added (the filters through a reference, {@code ReferenceFilterDocumentation}). So the
 * document follows the services as deployed and the public API's one declaration ({@link PublicApi}), with
 * nothing written twice.
 *
 * <p>The document is kept, not rebuilt for every request: the first request builds it, and one asked for
 * more than {@code shop.api-docs.refresh} after it was built is answered with it while a new one is built
 * in the background for the requests after. Only a whole document is kept: while a backend cannot answer,
 * the last whole document goes on being served; when there is none yet, each request gets one built for
 * it with that backend's part left out, as the document's description says.
 */
public final class ApiDocument {

    private static final Logger log = LoggerFactory.getLogger(ApiDocument.class);

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The key of the one document kept. */
    private static final String DOCUMENT = "document";

    static final String GRAMMAR = """
            Replaces reference ids in the response with the documents they refer to, fetched from the \
            service that owns them in one batch per level and target (like Mongoose's `populate()`), and \
            fills list fields with the documents that refer back to each document (like Mongoose's virtual \
            populate), one lookup for all the documents of a level.

            Grammar (the parameter may also be repeated):

                populate := spec ("," spec)*
                spec     := path [ "(" field ("," field)* ")" ] [ "[" option (";" option)* "]" ]
                path     := name ("." name)*
                option   := sort=[-]field("," [-]field)* | skip=0..%3$d | limit=1..%2$d | count | field=operator.value

            A selection keeps only the named fields (and `id`). Options apply to list fields only: filters \
            `field=operator.value` on the fields listed for the path, read as the listed resource's own \
            pages read them (`eq`, `in` with comma-separated values, `gt`, `gte`, `lt`, `lte` on numbers, \
            `prefix` on strings; every filter holds, a field may take several operators: \
            `price=gte.10;price=lt.20`), `sort` on the fields listed for the path (`-` for descending; the \
            order by id comes last, and is the order without `sort`), `skip` that many of each parent \
            document's matching documents (default 0), then `limit` per parent document (default %2$d), \
            `count` for the number of matching documents instead of the documents (not with `sort`, `skip` \
            or `limit`). A value holds letters, digits and `_ . , + -`; anything else (blanks, `;`, `]`, \
            `(`) goes in double quotes, a quote written `\\"` and a backslash `\\\\` inside them: \
            `products[title=eq."Desk lamp; big"]` (a comma in quotes is refused in an `in`, which splits at \
            every comma). Example: `userId(name,email)`, `cart.items.productId.userId`, \
            `products(title,price)[sort=-price;limit=3]`, `products[price=gte.100;sort=-price;skip=3;limit=3]`, \
            `products[price=gte.100;count]`. A document that does not exist \
            becomes `null`; ids whose lookup failed stay ids, a list whose lookup failed is left out, and \
            their paths are named in the `Populate-Unresolved` header. Unknown paths, or more than %1$d \
            references in a row, are a 400 listing the allowed paths; an option or filter that makes no sense \
            where it is given is a 400 naming it (`option`), before anything is fetched.""";

    /** What {@code populate} on a write adds to the grammar. */
    static final String WRITE = """
            On this write, `populate` applies to the document it answers, once it is written: a spec refused             (400) writes nothing, and the write is made once whatever populate does. Ids whose lookup failed,             or that the answer's budget or time left unpopulated, stay ids under the write's own status, their             paths named in `Populate-Unresolved`.""";

    private final List<BackendClient> backends;

    private final PublicApi api;

    private final ResourceSchema schema;

    private final int maxDepth;

    private final GatewayJson json;

    /** One entry, the document, while it is whole. */
    private final AsyncLoadingCache<String, Built> kept;

    /** What the gateway's own features add to the document once it is merged (the filters through a reference). */
    private final Consumer<ObjectNode> additions;

    public ApiDocument(List<BackendClient> backends, PublicApi api, int maxDepth, GatewayJson json,
            Duration refresh) {
        this(backends, api, maxDepth, json, refresh, document -> { });
    }

    public ApiDocument(List<BackendClient> backends, PublicApi api, int maxDepth, GatewayJson json,
            Duration refresh, Consumer<ObjectNode> additions) {
        this.additions = additions;
        this.backends = List.copyOf(backends);
        this.api = api;
        this.schema = api.schema();
        this.maxDepth = maxDepth;
        this.json = json;
        this.kept = Caffeine.newBuilder().refreshAfterWrite(refresh).buildAsync(new AsyncCacheLoader<>() {
            @Override
            public CompletableFuture<Built> asyncLoad(String key, Executor executor) {
                return build().toFuture();
            }

            /** A new document, if it is whole; otherwise the last whole one, for another interval. */
            @Override
            public CompletableFuture<Built> asyncReload(String key, Built last, Executor executor) {
                return build().map(built -> built.whole() ? built : last).toFuture();
            }
        });
    }

    /** The document: the one kept, or a new one built from the backends' documents as they are now. */
    public Mono<ObjectNode> document() {
        return Mono.defer(() -> {
            CompletableFuture<Built> built = kept.get(DOCUMENT);
            // a client that hangs up leaves the build to the others waiting for it
            return Mono.fromFuture(built, true).doOnNext(document -> {
                if (!document.whole()) {
                    kept.asMap().remove(DOCUMENT, built);
                }
            });
        }).map(Built::document);
    }

    private Mono<Built> build() {
        return Flux.fromIterable(backends)
                .concatMap(backend -> fetch(backend).map(doc -> Map.entry(backend, doc))
                        .onErrorResume(error -> {
                            log.warn("API document of {} unavailable: {}", backend.name(), error.toString());
                            return Mono.just(Map.entry(backend, NODES.missingNode()));
                        }))
                .collectList()
                .map(documents -> new Built(merge(documents),
                        documents.stream().allMatch(entry -> entry.getValue().isObject())));
    }

    private Mono<JsonNode> fetch(BackendClient backend) {
        return backend.read(builder -> builder.path("/v3/api-docs").build());
    }

    ObjectNode merge(List<Map.Entry<BackendClient, JsonNode>> documents) {
        ObjectNode root = NODES.objectNode();
        root.put("openapi", "3.1.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "shop API");
        info.put("version", "v1");
        List<String> missing = new ArrayList<>();
        ObjectNode paths = root.putObject("paths");
        ObjectNode schemas = root.putObject("components").putObject("schemas");
        for (Map.Entry<BackendClient, JsonNode> entry : documents) {
            BackendClient backend = entry.getKey();
            JsonNode document = entry.getValue();
            if (!document.isObject()) {
                missing.add(backend.name());
                continue;
            }
            document.path("paths").properties().forEach(path -> {
                String own = path.getKey();
                if (backend.routedPaths().stream().anyMatch(routed -> own.equals(routed) || own.startsWith(routed + "/"))
                        && !InternalPaths.isInternal(own)) {
                    String routed = ApiDeclaration.PREFIX + own;
                    paths.set(routed, populatable(routed, conditional(path.getValue().deepCopy())));
                }
            });
            document.path("components").path("schemas").properties().forEach(schemaEntry -> {
                JsonNode known = schemas.get(schemaEntry.getKey());
                if (known != null && !known.equals(schemaEntry.getValue())) {
                    log.warn("API document: schema {} of {} differs from another service's; the first is kept",
                            schemaEntry.getKey(), backend.name());
                }
                else {
                    schemas.set(schemaEntry.getKey(), schemaEntry.getValue());
                }
            });
        }
        secured(root, paths);
        additions.accept(root);
        info.put("description", "The public API of the shop, as the gateway serves it: "
                + String.join(", ", backends.stream().flatMap(b -> b.routedPaths().stream()
                        .map(path -> ApiDeclaration.PREFIX + path + "/** (" + b.name() + ")")).toList())
                + ". GET responses of " + String.join(", ", api.populatable().stream()
                        .map(PublicApi.Populatable::resource).distinct().toList())
                + " documents can be populated (see the `populate` parameter), and so can the answers of the writes "
                + String.join(", ", api.populatable().stream().filter(PublicApi.Populatable::isWrite)
                        .map(PublicApi.Populatable::toString).toList()) + "."
                + " Sign up with POST /api/users, get an access token from POST /api/auth/token and send it as"
                + " `Authorization: Bearer <token>` (the Authorize button); without one, only these are open: "
                + String.join(", ", api.open().stream().map(ApiDeclaration.Operation::toString).toList()) + "."
                + (missing.isEmpty() ? "" : " Not available just now, so left out: " + String.join(", ", missing) + "."));
        return root;
    }

    /**
     * Bearer access tokens for everything but the open operations ({@link PublicApi#open()}), which take
     * a request with or without one (an empty requirement, or the bearer one).
     */
    private void secured(ObjectNode root, ObjectNode paths) {
        ObjectNode bearer = root.withObjectProperty("components").withObjectProperty("securitySchemes")
                .putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "JWT");
        bearer.put("description", "An access token from POST /api/auth/token, sent as `Authorization: Bearer <token>`.");
        root.putArray("security").addObject().putArray("bearer");
        paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (operation.getValue() instanceof ObjectNode op && api.isOpen(operation.getKey(), path.getKey())) {
                ArrayNode either = op.putArray("security");
                either.addObject();
                either.addObject().putArray("bearer");
            }
        }));
    }

    /**
     * Adds what {@code ConditionalGetFilter} does to every GET: the {@code If-None-Match} parameter, the
     * {@code ETag} of a successful answer, and the 304.
     */
    private static JsonNode conditional(JsonNode pathItem) {
        if (!(pathItem.get("get") instanceof ObjectNode operation)) {
            return pathItem;
        }
        ObjectNode parameter = parameters(operation).addObject();
        parameter.put("name", HttpHeaders.IF_NONE_MATCH);
        parameter.put("in", "header");
        parameter.put("required", false);
        parameter.put("description", "The `ETag` of an answer the client keeps (or several, or `*`): when the answer "
                + "would be the same, it is a 304 without a body.");
        parameter.putObject("schema").put("type", "string");
        ObjectNode responses = operation.withObjectProperty("responses");
        responses.properties().stream()
                .filter(response -> response.getKey().startsWith("2"))
                .forEach(response -> ((ObjectNode) response.getValue()).withObjectProperty("headers")
                        .set(HttpHeaders.ETAG, NODES.objectNode()
                                .put("description", "A strong tag of the answer's exact bytes, populated ones included; "
                                        + "none on a partial answer (`Populate-Unresolved`).")
                                .set("schema", NODES.objectNode().put("type", "string"))));
        responses.putObject("304").put("description", "Not Modified: the answer has the tag that `If-None-Match` names.");
        return pathItem;
    }

    private static ArrayNode parameters(ObjectNode operation) {
        return operation.has("parameters") ? (ArrayNode) operation.get("parameters") : operation.putArray("parameters");
    }

    /**
     * Adds the {@code populate} parameter and the {@code Populate-Unresolved} header to each operation of
     * {@code pathItem} that can be populated: a GET, or a write that answers the document it wrote.
     */
    private JsonNode populatable(String routed, JsonNode pathItem) {
        String shape = VARIABLE.matcher(routed).replaceAll("{}");
        Set<HttpMethod> described = new HashSet<>();
        api.populatable().stream()
                .filter(endpoint -> VARIABLE.matcher(endpoint.path()).replaceAll("{}").equals(shape))
                .filter(endpoint -> described.add(endpoint.method()))
                .forEach(endpoint -> {
                    if (pathItem.get(endpoint.method().name().toLowerCase(Locale.ROOT)) instanceof ObjectNode operation) {
                        populatable(operation, endpoint);
                    }
                });
        return pathItem;
    }

    private void populatable(ObjectNode operation, PublicApi.Populatable endpoint) {
        Map<String, ResourceSchema.Ref> paths = schema.pathRefs(endpoint.resource(), maxDepth);
        List<String> allowed = List.copyOf(paths.keySet());
        ObjectNode parameter = parameters(operation).addObject();
        parameter.put("name", PopulateGatewayFilterFactory.PARAMETER);
        parameter.put("in", "query");
        parameter.put("required", false);
        parameter.put("description", GRAMMAR.formatted(maxDepth, ListOptions.MAX_LIMIT, ListOptions.MAX_SKIP)
                + (endpoint.isWrite() ? "\n\n" + WRITE : "") + "\n\nPaths of a " + endpoint.resource() + ":\n\n"
                + String.join("\n", paths.entrySet().stream()
                        .map(path -> "- " + describe(path.getKey(), path.getValue())).toList()));
        parameter.set("x-populate", selfDescription(paths));
        parameter.put("explode", true);
        ObjectNode items = parameter.putObject("schema").put("type", "array").putObject("items");
        items.put("type", "string");
        items.put("pattern", "^[A-Za-z_][A-Za-z0-9_.]*(\\(.*\\))?(\\[.*\\])?(,.*)?$");
        parameter.set("example", NODES.arrayNode().add(allowed.get(0)));
        operation.path("responses").properties().stream()
                .filter(response -> response.getKey().startsWith("2"))
                .forEach(response -> ((ObjectNode) response.getValue()).withObjectProperty("headers")
                        .set(PopulateGatewayFilterFactory.UNRESOLVED_HEADER, unresolvedHeader()));
    }

    /** One line on a path: what it brings and, for a list, its options. */
    private String describe(String path, ResourceSchema.Ref ref) {
        if (!ref.isList()) {
            return "`" + path + "`: the " + ref.target() + " it refers to";
        }
        List<String> sortable = schema.sortable(ref.target()).stream().sorted().toList();
        List<FilterableField> filterable = schema.filterable(ref.target()).all();
        return "`" + path + "`: a list of the " + ref.target() + " documents whose `" + ref.foreignField()
                + "` is this document's id; options " + (filterable.isEmpty() ? "" : "filters "
                        + String.join(", ", filterable.stream().map(field -> "`" + field.name() + "` ("
                                + String.join(", ", field.type().operatorTokens()) + ")").toList()) + ", ")
                + "`sort` (" + (sortable.isEmpty() ? "by id only"
                        : String.join(", ", sortable.stream().map(field -> "`" + field + "`").toList()))
                + "), `skip` (0-" + ListOptions.MAX_SKIP + " per parent document, default 0)"
                + ", `limit` (1-" + ListOptions.MAX_LIMIT + " per parent document, default " + ListOptions.MAX_LIMIT
                + "), `count`";
    }

    /**
     * The same as the description, for programs ({@code x-populate}): each path with its target, whether it
     * is a list, and the options it takes with their limits, from the schema the engine plans with.
     */
    private ObjectNode selfDescription(Map<String, ResourceSchema.Ref> paths) {
        ObjectNode description = NODES.objectNode();
        description.put("maxDepth", maxDepth);
        ArrayNode described = description.putArray("paths");
        paths.forEach((path, ref) -> {
            ObjectNode entry = described.addObject();
            entry.put("path", path);
            entry.put("target", ref.target());
            entry.put("list", ref.isList());
            if (ref.isList()) {
                entry.put("foreignField", ref.foreignField());
                ObjectNode options = entry.putObject("options");
                ArrayNode sort = options.putObject("sort").putArray("fields");
                schema.sortable(ref.target()).stream().sorted().forEach(sort::add);
                options.putObject("skip").put("minimum", 0).put("maximum", ListOptions.MAX_SKIP)
                        .put("default", 0).put("per", "parent document");
                options.putObject("limit").put("minimum", 1).put("maximum", ListOptions.MAX_LIMIT)
                        .put("default", ListOptions.MAX_LIMIT).put("per", "parent document");
                options.putObject("count");
                ObjectNode filters = options.putObject("filters");
                schema.filterable(ref.target()).all().forEach(field -> filters.set(field.name(), filter(field)));
            }
        });
        return description;
    }

    /** A filter's field for programs, as the services' documents describe their filters ({@code x-filter}). */
    private static ObjectNode filter(FilterableField field) {
        ObjectNode described = NODES.objectNode();
        FilterDocumentation.described(field).forEach((key, value) -> {
            if (value instanceof List<?> list) {
                ArrayNode array = described.putArray(key);
                list.forEach(item -> array.add(item.toString()));
            }
            else if (value instanceof Integer number) {
                described.put(key, number);
            }
            else {
                described.put(key, value.toString());
            }
        });
        return described;
    }

    private static ObjectNode unresolvedHeader() {
        ObjectNode header = NODES.objectNode();
        header.put("description", "Present when some populate paths were left (wholly or partly) as ids because "
                + "the service owning them failed, its circuit was open, or the time budget ran out: the paths, "
                + "comma-separated, such as `userId, cart.items.productId`.");
        header.putObject("schema").put("type", "string");
        return header;
    }

    /** A document, and whether every backend's part is in it. */
    private record Built(ObjectNode document, boolean whole) {
    }
}
