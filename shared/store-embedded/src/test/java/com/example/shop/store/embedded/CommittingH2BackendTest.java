package com.example.shop.store.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class CommittingH2BackendTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aNormalStopGivesBackTheSpaceThatTheCommitPerWriteTookAndKeepsEveryWrite() {
        Path file = dir.resolve("store.mv");
        long whileRunning = withStore(new CommittingH2Backend(file.toString()), users -> {
            for (int i = 0; i < 1000; i++) {
                Mono.from(users.updateOne(new Document("_id", "user-" + i % 20), new Document("$push",
                                new Document("cart.items", new Document("productId", "p" + i).append("quantity", 1))),
                        new UpdateOptions().upsert(true))).block(TIMEOUT);
            }
            return size(file);
        });

        assertThat(size(file)).isLessThan(whileRunning / 2);
        List<Integer> cartSizes = withStore(new H2Backend(file.toString()), users -> Flux.from(users.find())
                .map(user -> user.get("cart", Document.class).getList("items", Document.class).size())
                .collectList().block(TIMEOUT));
        assertThat(cartSizes).hasSize(20).containsOnly(50);
    }

    /** Runs the action against the users collection of a server on the backend, then stops the server. */
    private static <T> T withStore(MongoBackend backend, Function<MongoCollection<Document>, T> action) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            return action.apply(client.getDatabase("shop").getCollection("users"));
        }
        finally {
            server.shutdown();
        }
    }

    private static long size(Path file) {
        return file.toFile().length();
    }
}
