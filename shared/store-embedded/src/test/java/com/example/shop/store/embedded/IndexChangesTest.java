package com.example.shop.store.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An index created or dropped while a query of the same collection runs waits for the query, in both
 * backends: the library changes a collection's list of indexes without the lock its queries hold, and a
 * query walking that list then failed with a ConcurrentModificationException (seen as a service started: its
 * index creation met its first sweep). A query is stood for here by holding the collection's lock.
 */
class IndexChangesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    static Stream<Named<Function<Path, MongoBackend>>> backends() {
        return Stream.of(Named.of("memory", dir -> new IndexedMemoryBackend()),
                Named.of("file", dir -> new CommittingH2Backend(dir.resolve("store.mv").toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void anIndexChangeWaitsForTheCollectionsQueries(Function<Path, MongoBackend> backendOn, @TempDir Path dir)
            throws Exception {
        MongoBackend backend = backendOn.apply(dir);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            MongoCollection<Document> products = client.getDatabase("shop").getCollection("products");
            Mono.from(products.insertOne(new Document("title", "a"))).block(TIMEOUT);
            Object collection = backend.resolveDatabase("shop").resolveCollection("products", true);

            CompletableFuture<String> created;
            synchronized (collection) {
                created = Mono.from(products.createIndex(Indexes.ascending("title"))).toFuture();
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !created.isDone());
            }
            assertThat(created.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("title_1");

            CompletableFuture<Void> dropped;
            synchronized (collection) {
                dropped = Mono.from(products.dropIndex("title_1")).toFuture();
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !dropped.isDone());
            }
            dropped.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(Flux.from(products.listIndexes()).map(index -> index.getString("name")).collectList().block(TIMEOUT))
                    .containsExactly("_id_");
        }
        finally {
            server.shutdownNow();
        }
    }
}
