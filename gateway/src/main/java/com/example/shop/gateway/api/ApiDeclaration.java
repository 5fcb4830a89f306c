package com.example.shop.gateway.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;
import org.springframework.validation.annotation.Validated;

import com.example.shop.gateway.populate.Shape;

/**
 * The gateway's public API as declared in {@code api.yml} ({@code shop.api}): the one place that says what
 * the gateway serves. Routes, access rules, the sign-in limit's paths, the populate schema and its endpoints,
 * cache invalidation, the API document's decoration and the backend clients are all derived from it
 * ({@link PublicApi}, which checks it at start-up). Both levels are maps by name, so that a test's properties
 * can add a backend or a resource, or a reference to an existing resource
 * ({@code shop.api.resources.product.references[categoryId]=category}).
 *
 * @param backends  the services behind the gateway, by the name of their {@code shop.remote.<name>} entry
 * @param resources the resources, by name (the name references and the cache use)
 */
@ConfigurationProperties("shop.api")
@Validated
public record ApiDeclaration(@NotEmpty Map<String, @Valid @NotNull Backend> backends,
        @NotEmpty Map<String, @Valid @NotNull Resource> resources) {

    /** Where every routed path sits at the gateway: {@code /api} + the backend's path. */
    public static final String PREFIX = "/api";

    /**
     * A backend service.
     *
     * @param anonymousLookups what a populate lookup made for a caller without a token carries (a caller with one
     *                         always has its own token relayed)
     */
    public record Backend(@DefaultValue("nothing") @NotNull AnonymousLookups anonymousLookups) {
    }

    /** What a lookup for an anonymous caller carries. */
    public enum AnonymousLookups {

        /** Nothing: the backend answers what anyone may see (product-service). */
        NOTHING,

        /** The gateway's service credential, which the backend takes as a public viewer (user-service). */
        SERVICE_CREDENTIAL
    }

    /**
     * A resource.
     *
     * @param backend     the backend that serves it; none for a resource only embedded in another (a user's cart)
     * @param path        the backend's path of it ({@code /users}), routed from {@code /api} + path, and everything
     *                    under it; none when it is not routed on its own
     * @param lookup      its batch lookup ({@code GET <lookup>?ids=a,b}, answered by an array of the documents found,
     *                    each with its {@code id}); needed for a resource that references point to
     * @param open        the operations anyone may call ({@code GET /api/products/{id}}; a GET's HEAD and OPTIONS
     *                    with it); every other one needs an access token
     * @param signInLimited the operations limited per client address ({@code shop.gateway.sign-in-limit})
     * @param populatable the public GET endpoints whose answers hold documents of this resource and can be populated
     * @param populatableWrites the writes ({@code POST}, {@code PUT}, {@code PATCH}) whose answer is one document of
     *                    this resource, which can be populated as a GET of it can ({@code "POST /api/users/{id}/cart/items"}
     *                    answers the cart)
     * @param references  its reference fields (dotted paths) and the resource each refers to
     * @param embeds      fields holding a document of another resource, whose references it then has under the field
     * @param lists       fields that are not stored, each the list of another resource's documents that refer to
     *                    this one (Mongoose's virtual populate)
     * @param sortable    the fields a list of its documents may be sorted on, as its service sorts them
     * @param shared      whether every caller sees its documents alike, so that the populate cache keeps one copy
     *                    for all (otherwise one per viewer)
     * @param owner       a reference field naming an owner whose deletion deletes the document: deleting the owner
     *                    makes the cached documents it owned stale
     * @param filterable  the fields a page of its documents may be filtered on, as its service filters them, each with
     *                    its type: {@code id}, {@code decimal} or {@code string(<max length>)}; what the gateway checks
     *                    a filter through a reference to it, or inside populate's lists of its documents
     *                    ({@code products[price=gte.100]}), against before it calls anything
     * @param match       the backend path that answers the ids matching filters on {@code filterable}
     *                    ({@code GET <match>?<filters>&of=<id field>&limit=<n>}, an array of ids): a reference to it,
     *                    or a list of its documents, may then filter a page ({@code /api/products?userId.name=eq.Ada})
     */
    public record Resource(String backend, String path, String lookup,
            @DefaultValue List<@NotNull Operation> open,
            @DefaultValue List<@NotNull Operation> signInLimited,
            @DefaultValue List<@Valid @NotNull Endpoint> populatable,
            @DefaultValue List<@NotNull Operation> populatableWrites,
            @DefaultValue Map<String, @NotBlank String> references,
            @DefaultValue Map<String, @NotBlank String> embeds,
            @DefaultValue Map<String, @Valid @NotNull ListField> lists,
            @DefaultValue Set<String> sortable,
            @DefaultValue("false") boolean shared,
            String owner,
            @DefaultValue Map<String, @NotBlank String> filterable,
            String match) {
    }

    /**
     * An operation: a method and a gateway path pattern ({@code {variable}} style), written
     * {@code "POST /api/users"}.
     */
    public record Operation(HttpMethod method, String path) {

        /** {@code "METHOD /path"}, as the declaration writes it. */
        public static Operation of(String declared) {
            String[] parts = declared.trim().split("\\s+");
            if (parts.length != 2 || !parts[1].startsWith("/")) {
                throw new IllegalArgumentException("an operation is 'METHOD /path', not '" + declared + "'");
            }
            return new Operation(HttpMethod.valueOf(parts[0].toUpperCase(Locale.ROOT)), parts[1]);
        }

        @Override
        public String toString() {
            return method.name() + " " + path;
        }
    }

    /**
     * A public GET endpoint whose answer can be populated.
     *
     * @param path  the gateway path, as a Spring path pattern
     * @param shape one document, or an array or page of them
     */
    public record Endpoint(@NotBlank String path, @NotNull Shape shape) {
    }

    /**
     * A list field: the documents of {@code resource} whose reference {@code by} holds the document's id.
     *
     * @param resource the resource listed
     * @param by       its reference field that refers to the document
     * @param lookup   the backend path that lists them for many documents at once:
     *                 {@code GET <lookup>?<by>=a,b[&sort=f,asc][&skip=n][&limit=n][&<filters>]} or
     *                 {@code &count=true[&<filters>]}, answered by
     *                 {@code [{"<by>": "a", "<field>": [...]}]} (or {@code "count": n})
     */
    public record ListField(@NotBlank String resource, @NotBlank String by, @NotBlank String lookup) {
    }
}
