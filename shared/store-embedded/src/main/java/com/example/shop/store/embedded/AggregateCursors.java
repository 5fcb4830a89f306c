package com.example.shop.store.embedded;

import de.bwaldvogel.mongo.bson.Document;

/**
 * An {@code aggregate} command's {@code cursor} options dropped before the library sees them. The reactive driver
 * asks every aggregate for a batch size (its subscriber's demand); mongo-java-server answers with the whole result
 * either way, but logs "Non-empty cursor is not yet implemented. Ignoring." at WARN for each one: a line per
 * request that counts owners' products (10,251 lines in one benchmark run), warning of nothing. Both backends of
 * this module send their commands through here; the answer is the same.
 */
final class AggregateCursors {

    private AggregateCursors() {
    }

    /** {@code query} itself, or for an aggregate with cursor options a copy with an empty {@code cursor}. */
    static Document withoutOptions(String command, Document query) {
        if (!command.equalsIgnoreCase("aggregate") || !(query.get("cursor") instanceof Document cursor)
                || cursor.isEmpty()) {
            return query;
        }
        Document copy = query.clone();
        copy.put("cursor", new Document());
        return copy;
    }
}
