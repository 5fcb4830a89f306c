package com.example.shop.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Reads a reference the way Mongoose casts an assigned document to its {@code _id}: the value may be
 * the id itself ({@code "productId": "65f…"}) or a document that carries it ({@code "productId":
 * {"id": "65f…", "title": …}}, as a populated response returns it). The result is the id text,
 * validated like any other id field.
 */
public class IdOrReferenceDeserializer extends ValueDeserializer<String> {

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (p.currentToken() == JsonToken.START_OBJECT) {
            JsonNode node = ctxt.readTree(p);
            JsonNode id = node.has("id") ? node.get("id") : node.get("_id");
            if (id != null && id.isString()) {
                return id.asString();
            }
            throw MismatchedInputException.from(p, (Class<?>) null,
                    "a referenced document must carry its \"id\" as a string");
        }
        throw MismatchedInputException.from(p, (Class<?>) null, "must be an id string or a document with an \"id\"");
    }
}
