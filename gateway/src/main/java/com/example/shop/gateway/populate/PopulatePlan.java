package com.example.shop.gateway.populate;

import java.util.List;

/**
 * What to populate in a response of one resource: a tree whose levels are fetched one after the other,
 * each level in one batch per target resource.
 */
public record PopulatePlan(String resource, List<PlanNode> nodes) {

    public PopulatePlan {
        nodes = List.copyOf(nodes);
    }

    /** Every path of the plan, parents before children. */
    public List<String> paths() {
        return nodes.stream().flatMap(node -> node.paths().stream()).toList();
    }
}
