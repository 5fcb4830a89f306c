package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One reference to populate, at one level of the plan.
 *
 * @param path     the full path from the response's documents, as the client names it ({@code cart.items.productId})
 * @param field    the reference field, relative to the documents of the level above
 * @param target   the resource the ids refer to
 * @param foreignField null for a stored reference; for a list field, the field of {@code target} that holds
 *                 the parent's id ({@link ResourceSchema.Ref#foreignField()})
 * @param select   the fields the client asked to keep; empty keeps the whole document
 * @param options  how a list field is filled; null for a stored reference
 * @param children the references to populate inside the documents this one brings in
 */
public record PlanNode(String path, List<String> field, String target, String foreignField, Set<String> select,
        ListOptions options, List<PlanNode> children) {

    public PlanNode {
        field = List.copyOf(field);
        select = Set.copyOf(select);
        children = List.copyOf(children);
        if ((foreignField == null) != (options == null)) {
            throw new IllegalArgumentException("a list field has options, a stored reference none");
        }
    }

    /** A stored reference. */
    public PlanNode(String path, List<String> field, String target, Set<String> select, List<PlanNode> children) {
        this(path, field, target, null, select, null, children);
    }

    public boolean isList() {
        return foreignField != null;
    }

    /**
     * The fields to keep of each document brought in: empty for all, otherwise the selection, the
     * {@code id}, and the fields the nested references go through (so they can be populated).
     */
    public Set<String> keep() {
        if (select.isEmpty()) {
            return Set.of();
        }
        Set<String> keep = new LinkedHashSet<>(select);
        keep.add("id");
        children.forEach(child -> keep.add(child.field().get(0)));
        return keep;
    }

    /** This path and those of every node below it. */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        paths.add(path);
        children.forEach(child -> paths.addAll(child.paths()));
        return paths;
    }
}
