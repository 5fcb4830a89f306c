package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which field of which resource refers to which resource: the one place where references are
 * declared, like Mongoose's {@code ref: 'User'}. A resource may also embed another one at a field
 * (a user embeds its cart at {@code cart}), and then has the embedded resource's references under that
 * field ({@code cart.items.productId}), declared once on the embedded resource.
 */
public final class ResourceSchema {

    /**
     * A reference field.
     *
     * @param field  its path inside the document, split at dots; arrays along it are walked through
     * @param target the resource it refers to
     */
    public record Ref(List<String> field, String target) {

        public Ref {
            field = List.copyOf(field);
        }

        public String path() {
            return String.join(".", field);
        }
    }

    private final Map<String, List<Ref>> refs;

    private ResourceSchema(Map<String, List<Ref>> refs) {
        this.refs = Map.copyOf(refs);
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

    /** The resources that references point to: those the gateway must be able to fetch. */
    public Set<String> targets() {
        Set<String> targets = new TreeSet<>();
        refs.values().forEach(list -> list.forEach(ref -> targets.add(ref.target())));
        return targets;
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
        List<String> paths = new ArrayList<>();
        collectPaths(resource, "", maxDepth, paths);
        return paths;
    }

    private void collectPaths(String resource, String prefix, int depthLeft, List<String> paths) {
        if (depthLeft == 0) {
            return;
        }
        for (Ref ref : refs(resource)) {
            String path = prefix + ref.path();
            paths.add(path);
            collectPaths(ref.target(), path + ".", depthLeft - 1, paths);
        }
    }

    public static final class Builder {

        private final Map<String, List<Ref>> own = new LinkedHashMap<>();

        private final Map<String, Map<String, String>> embeds = new LinkedHashMap<>();

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

        public ResourceSchema build() {
            Map<String, List<Ref>> flat = new LinkedHashMap<>();
            for (String resource : own.keySet()) {
                flat.put(resource, List.copyOf(flatten(resource, new ArrayList<>())));
            }
            for (List<Ref> list : flat.values()) {
                for (Ref ref : list) {
                    if (!flat.containsKey(ref.target())) {
                        throw new IllegalStateException("reference " + ref.path() + " points to undeclared resource '"
                                + ref.target() + "'");
                    }
                }
            }
            return new ResourceSchema(flat);
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
