package com.example.shop.gateway.populate;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * @param body       the response body with the references populated
 * @param unresolved the paths left (wholly or partly) as plain ids because a backend failed, was not
 *                   asked (its circuit open), or did not answer within the time budget; empty when
 *                   everything was populated
 */
public record PopulateResult(JsonNode body, List<String> unresolved) {

    public PopulateResult {
        unresolved = List.copyOf(unresolved);
    }
}
