package com.example.shop.store.embedded;

import java.util.function.Function;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;

/** A server of mongo-java-server for one test's work, reached through the reactive driver as the services reach it. */
final class StoreServers {

    private StoreServers() {
    }

    /**
     * Runs {@code action} against the collection {@code collection} of database {@code shop} of a server on
     * {@code backend} (a free loopback port), then stops the server.
     */
    static <T> T withCollection(MongoBackend backend, String collection,
            Function<MongoCollection<Document>, T> action) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            return action.apply(client.getDatabase("shop").getCollection(collection));
        }
        finally {
            server.shutdown();
        }
    }
}
