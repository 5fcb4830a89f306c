package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed specs into a {@link PopulatePlan} for one resource: each path is resolved reference by
 * reference against the {@link ResourceSchema}, and paths sharing a prefix share its nodes. A prefix
 * that is only passed through ({@code cart.items.productId} of {@code cart.items.productId.userId}) is
 * populated whole on the way, unless it is also asked for with a selection ({@code userId(name)} and
 * {@code userId.cart.items.productId}: the owner's name and cart). Selections of one path add up; asking
 * for it without one keeps the whole document.
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

    private static final class Draft {

        final String path;

        final ResourceSchema.Ref ref;

        boolean whole;

        final Set<String> select = new LinkedHashSet<>();

        final Map<String, Draft> children = new LinkedHashMap<>();

        Draft(String path, ResourceSchema.Ref ref) {
            this.path = path;
            this.ref = ref;
        }

        /** Asked for whole, or only passed through: the whole document; otherwise the fields selected. */
        PlanNode freeze() {
            return new PlanNode(path, ref.field(), ref.target(), whole ? Set.of() : select,
                    children.values().stream().map(Draft::freeze).toList());
        }
    }
}
