package com.example.shop.gateway.populate;

import tools.jackson.databind.node.ObjectNode;

/**
 * What of a fetched document the caller may see, applied to each document before it is spliced in (and
 * before anything below it is populated, so a field the caller may not see is never followed either).
 */
@FunctionalInterface
public interface DocumentView {

    /** Every document whole. */
    DocumentView WHOLE = (resource, document) -> document;

    /**
     * @param resource the document's resource ({@code user}, ...)
     * @param document the document as its service answered; not to be changed
     * @return the document itself, or a new node with what the caller may see of it
     */
    ObjectNode apply(String resource, ObjectNode document);
}
