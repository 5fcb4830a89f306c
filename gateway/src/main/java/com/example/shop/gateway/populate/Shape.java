package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** How a response holds its documents. */
public enum Shape {

    /** The body is the document. */
    ITEM,

    /** The body is an array of documents, or a page: {@code {"content": [...], "page": {...}}}. */
    COLLECTION;

    /** The documents of a response body of this shape; none when the body is not of it. */
    public List<JsonNode> documents(JsonNode body) {
        List<JsonNode> documents = new ArrayList<>();
        if (this == ITEM) {
            if (body.isObject()) {
                documents.add(body);
            }
            return documents;
        }
        JsonNode array = body.isObject() ? body.get("content") : body;
        if (array != null && array.isArray()) {
            array.values().forEach(documents::add);
        }
        return documents;
    }
}
