package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.example.shop.web.filter.FilterableFields;

/**
 * Which field of which resource refers to which resource: the one place where references are
 * declared, like Mongoose's {@code ref: 'User'}. A resource may also embed another one at a field
 * (a user embeds its cart at {@code cart}), and then has the embedded resource's references under that
 * field ({@code cart.items.productId}), declared once on the embedded resource.
 * <p>
 * A reference can also be declared the other way, like Mongoose's virtual populate ({@code localField:
 * '_id', foreignField: 'userId'}): a user's {@code products} are the products whose {@code userId} is the
 * user's id. Such a <em>list</em> field is not stored; populating it fills it with the matching documents
 * (or their number), and it takes the options of {@link ListOptions}, sorting on the fields the target
 * declares {@linkplain Builder#sortable sortable} and filtering on those it declares
 * {@linkplain Builder#filterable filterable}.
 */
public final class ResourceSchema {

    /**
     * A reference field.
     *
     * @param field        its path inside the document, split at dots; arrays along it are walked through
     * @param target       the resource it refers to
     * @param foreignField null for a stored reference (the field holds ids of {@code target}); for a list
     *                     field, the reference field of {@code target} that holds this document's id
     */
    public record Ref(List<String> field, String target, String foreignField) {

        public Ref {
            field = List.copyOf(field);
        }

        /** A stored reference. */
        public Ref(List<String> field, String target) {
            this(field, target, null);
        }

        public String path() {
            return String.join(".", field);
        }

        /** Whether this is a list field (a reference declared the other way), which takes options. */
        public boolean isList() {
            return foreignField != null;
        }
    }

    private static final FilterableFields NO_FILTERS = FilterableFields.of();

    private final Map<String, List<Ref>> refs;

    private final Map<String, Set<String>> sortable;

    private final Map<String, FilterableFields> filterable;

    private ResourceSchema(Map<String, List<Ref>> refs, Map<String, Set<String>> sortable,
            Map<String, FilterableFields> filterable) {
        this.refs = Map.copyOf(refs);
        this.sortable = Map.copyOf(sortable);
        this.filterable = Map.copyOf(filterable);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> resources() {
        return refs.keySet();
    }

    /** The reference fields of a resource, its embedded resources' included. */
    public List<Ref> refs(String resource) {
        List<Ref> own = refs.get(resource);
        if (own == null) {
            throw new IllegalArgumentException("unknown resource '" + resource + "'; known: " + refs.keySet());
        }
        return own;
    }

    /** The resources that stored references point to: those the gateway must be able to fetch by id. */
    public Set<String> targets() {
        return targets(false);
    }

    /** The resources that list fields gather: those the gateway must be able to fetch by a reference field. */
    public Set<String> listTargets() {
        return targets(true);
    }

    private Set<String> targets(boolean lists) {
        Set<String> targets = new TreeSet<>();
        refs.values().forEach(list -> list.stream().filter(ref -> ref.isList() == lists)
                .forEach(ref -> targets.add(ref.target())));
        return targets;
    }

    /** The fields a list of {@code resource} may be sorted on, besides its order by id. */
    public Set<String> sortable(String resource) {
        return sortable.getOrDefault(resource, Set.of());
    }

    /** The fields a list of {@code resource} may be filtered on (none when it declares none). */
    public FilterableFields filterable(String resource) {
        return filterable.getOrDefault(resource, NO_FILTERS);
    }

    /** The reference of {@code resource} whose field is the longest prefix of {@code segments} from {@code from}. */
    public Optional<Ref> refAt(String resource, List<String> segments, int from) {
        Ref best = null;
        for (Ref ref : refs(resource)) {
            int n = ref.field().size();
            if (from + n <= segments.size() && segments.subList(from, from + n).equals(ref.field())
                    && (best == null || n > best.field().size())) {
                best = ref;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every path {@code resource} can populate with at most {@code maxDepth} references in a row. */
    public List<String> paths(String resource, int maxDepth) {
        return List.copyOf(pathRefs(resource, maxDepth).keySet());
    }

    /**
     * Every path {@code resource} can populate with at most {@code maxDepth} references in a row, each with
     * the reference it ends at (what it brings, and whether it is a list that takes options), in order.
     */
    public Map<String, Ref> pathRefs(String resource, int maxDepth) {
        Map<String, Ref> paths = new LinkedHashMap<>();
        collectPaths(resource, "", maxDepth, paths);
        return paths;
    }

    private void collectPaths(String resource, String prefix, int depthLeft, Map<String, Ref> paths) {
        if (depthLeft == 0) {
            return;
        }
        for (Ref ref : refs(resource)) {
            String path = prefix + ref.path();
            paths.put(path, ref);
            collectPaths(ref.target(), path + ".", depthLeft - 1, paths);
        }
    }

    public static final class Builder {

        private final Map<String, List<Ref>> own = new LinkedHashMap<>();

        private final Map<String, Map<String, String>> embeds = new LinkedHashMap<>();

        private final Map<String, List<Ref>> lists = new LinkedHashMap<>();

        private final Map<String, Set<String>> sortable = new LinkedHashMap<>();

        private final Map<String, FilterableFields> filterable = new LinkedHashMap<>();

        private Builder() {
        }

        /** Declares a resource; optional when it has references or embeds, needed for a leaf. */
        public Builder resource(String name) {
            own.computeIfAbsent(name, n -> new ArrayList<>());
            embeds.computeIfAbsent(name, n -> new LinkedHashMap<>());
            return this;
        }

        /** {@code field} (dotted) of {@code resource} holds the id of a {@code target}, or an array of them. */
        public Builder ref(String resource, String field, String target) {
            resource(resource);
            own.get(resource).add(new Ref(List.of(field.split("\\.")), target));
            return this;
        }

        /** {@code field} (dotted) of {@code resource} holds an {@code embedded} document (or an array of them). */
        public Builder embed(String resource, String field, String embedded) {
            resource(resource);
            embeds.get(resource).put(field, embedded);
            return this;
        }

        /**
         * {@code field} of {@code resource} is a list of the {@code target} documents whose stored reference
         * {@code foreignField} holds the resource's id (Mongoose's virtual populate). Only a resource's own
         * documents have one: an embedded resource has no id to be referred to.
         */
        public Builder list(String resource, String field, String target, String foreignField) {
            resource(resource);
            lists.computeIfAbsent(resource, r -> new ArrayList<>()).add(new Ref(List.of(field), target, foreignField));
            return this;
        }

        /** The fields a list of {@code resource} may be sorted on (the service's own sortable fields). */
        public Builder sortable(String resource, String... fields) {
            resource(resource);
            sortable.put(resource, Set.copyOf(List.of(fields)));
            return this;
        }

        /** The fields a list of {@code resource} may be filtered on (as the service filters its own lists). */
        public Builder filterable(String resource, FilterableFields fields) {
            resource(resource);
            filterable.put(resource, fields);
            return this;
        }

        public ResourceSchema build() {
            Map<String, List<Ref>> flat = new LinkedHashMap<>();
            for (String resource : own.keySet()) {
                List<Ref> all = flatten(resource, new ArrayList<>());
                all.addAll(lists.getOrDefault(resource, List.of()));
                flat.put(resource, List.copyOf(all));
            }
            for (var entry : flat.entrySet()) {
                for (Ref ref : entry.getValue()) {
                    if (!flat.containsKey(ref.target())) {
                        throw new IllegalStateException("reference " + ref.path() + " points to undeclared resource '"
                                + ref.target() + "'");
                    }
                    if (ref.isList() && !own.get(ref.target()).contains(new Ref(List.of(ref.foreignField().split("\\.")),
                            entry.getKey()))) {
                        throw new IllegalStateException("list " + ref.path() + " of " + entry.getKey() + " needs "
                                + ref.target() + "." + ref.foreignField() + " to refer to " + entry.getKey());
                    }
                }
            }
            return new ResourceSchema(flat, sortable, filterable);
        }

        private List<Ref> flatten(String resource, List<String> embedding) {
            if (embedding.contains(resource)) {
                throw new IllegalStateException("resource '" + resource + "' embeds itself via " + embedding);
            }
            if (!own.containsKey(resource)) {
                throw new IllegalStateException("embedded resource '" + resource + "' is not declared");
            }
            List<String> path = new ArrayList<>(embedding);
            path.add(resource);
            List<Ref> result = new ArrayList<>(own.get(resource));
            embeds.get(resource).forEach((field, embedded) -> {
                for (Ref ref : flatten(embedded, path)) {
                    List<String> prefixed = new ArrayList<>(List.of(field.split("\\.")));
                    prefixed.addAll(ref.field());
                    result.add(new Ref(prefixed, ref.target()));
                }
            });
            return result;
        }
    }
}
