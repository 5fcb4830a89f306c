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

    /**
     * The most documents this node and those below it can bring into {@code parents} documents: a list's
     * {@code limit} per parent (none for a count), one per parent for a stored reference. A stored reference
     * that holds an array of ids can bring more; those are counted as the work proceeds ({@link AnswerBudget}).
     */
    public long documents(long parents) {
        if (isList() && options.count()) {
            return 0;
        }
        long brought = isList() ? saturatedMultiply(parents, options.limit()) : parents;
        long total = brought;
        for (PlanNode child : children) {
            total = saturatedAdd(total, child.documents(brought));
        }
        return total;
    }

    static long saturatedMultiply(long a, long b) {
        long product = a * b;
        return a != 0 && (product / a != b || product < 0) ? Long.MAX_VALUE : product;
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }

    /** Adds this path, if it is a list of documents, and those of the lists below it to {@code paths}. */
    void listPaths(List<String> paths) {
        if (isList() && !options.count()) {
            paths.add(path);
        }
        children.forEach(child -> child.listPaths(paths));
    }

    /** This path and those of every node below it. */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        paths.add(path);
        children.forEach(child -> paths.addAll(child.paths()));
        return paths;
    }
}
