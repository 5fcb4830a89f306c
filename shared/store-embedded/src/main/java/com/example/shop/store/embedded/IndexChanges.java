package com.example.shop.store.embedded;

import java.util.function.Supplier;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Index changes made one at a time with the collection's queries. mongo-java-server guards each collection's
 * reads and writes with the collection's monitor ({@code AbstractSynchronizedMongoCollection}) but adds and
 * drops indexes without it, in the list every query walks to pick an index: a {@code createIndexes} arriving
 * while a query runs (a service creating its indexes as it starts while its sweep already queries) failed
 * the query with a {@code ConcurrentModificationException} ("Unknown error!" in the server's log). Both
 * backends of this module send those two commands through here, which holds the collection's monitor.
 */
final class IndexChanges {

    private IndexChanges() {
    }

    /** Runs {@code command} holding the collection's monitor if it creates or drops indexes of one. */
    static Document handle(MongoBackend backend, String databaseName, String command, Document query,
            Supplier<Document> handler) {
        if (!command.equalsIgnoreCase("createIndexes") && !command.equalsIgnoreCase("dropIndexes")
                || !(query.get(command) instanceof String collectionName)) {
            return handler.get();
        }
        MongoCollection<?> collection = backend.resolveDatabase(databaseName).resolveCollection(collectionName, false);
        if (collection == null) {
            // the command creates the collection and then its index: a query in between is not held off
            return handler.get();
        }
        synchronized (collection) {
            return handler.get();
        }
    }
}
