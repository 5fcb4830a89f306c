package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.List;

/**
 * What to populate in a response of one resource: a tree whose levels are fetched one after the other,
 * each level in one batch per target resource.
 */
public record PopulatePlan(String resource, List<PlanNode> nodes) {

    public PopulatePlan {
        nodes = List.copyOf(nodes);
    }

    /**
     * The most documents the plan can populate into an answer of {@code roots} documents (a page's size, the
     * ids asked for, one for a single document), as {@link PlanNode#documents(long)} counts them.
     */
    public long documents(long roots) {
        long total = 0;
        for (PlanNode node : nodes) {
            total = PlanNode.saturatedAdd(total, node.documents(roots));
        }
        return total;
    }

    /** The paths of the plan that are lists of documents (not counts): those a {@code limit} applies to. */
    public List<String> listPaths() {
        List<String> paths = new ArrayList<>();
        nodes.forEach(node -> node.listPaths(paths));
        return paths;
    }

    /** Every path of the plan, parents before children. */
    public List<String> paths() {
        return nodes.stream().flatMap(node -> node.paths().stream()).toList();
    }
}
