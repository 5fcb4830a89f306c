package com.example.shop.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A write the file store acknowledged survives a crash of its process: four times, 50 acknowledged cart writes
 * through the MongoDB driver, then {@code kill -9} of the process right after the last acknowledgement, then a
 * restart on the same data file, which must hold all 50. The store runs in a child JVM, as in a service.
 */
class AcknowledgedWritesSurviveKillTest {

    private static final int TRIES = 4;
    private static final int WRITES = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private int started;

    @Test
    void everyAcknowledgedWriteSurvivesAKill9OfTheStoreProcess() throws Exception {
        List<Integer> kept = new ArrayList<>();
        Store store = start();
        try {
            for (int attempt = 1; attempt <= TRIES; attempt++) {
                String userId = "user-" + attempt;
                try (MongoClient client = connect(store)) {
                    MongoCollection<Document> users = users(client);
                    acknowledged(users.insertOne(new Document("_id", userId)
                            .append("cart", new Document("items", List.of()))));
                    for (int i = 0; i < WRITES; i++) {
                        acknowledged(users.updateOne(new Document("_id", userId), new Document("$push",
                                new Document("cart.items", new Document("productId", "p" + i).append("quantity", 1)))));
                    }
                    kill9(store); // right after the last acknowledgement, with the client still open
                }
                store = start();
                try (MongoClient client = connect(store)) {
                    Document user = Mono.from(users(client).find(new Document("_id", userId)).first()).block(TIMEOUT);
                    kept.add(user == null ? 0 : user.get("cart", Document.class).getList("items", Document.class).size());
                }
            }
        }
        finally {
            kill9(store);
        }
        assertThat(kept).as("cart items kept after each kill -9").containsExactly(WRITES, WRITES, WRITES, WRITES);
    }

    /** A store process and the port it listens on. */
    private record Store(Process process, int port) {
    }

    /** Starts the store on the data folder in a new JVM and waits until it listens. */
    private Store start() throws IOException {
        started++;
        Path portFile = dir.resolve("port-" + started);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), FileStoreProcess.class.getName(),
                "--spring.application.name=durability", "--shop.store.embedded.backend=file",
                "--shop.store.embedded.path=" + dir.resolve("data"), "--port-file=" + portFile)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("store-" + started + ".log").toFile())
                .start();
        await().atMost(TIMEOUT).until(() -> Files.exists(portFile) || !process.isAlive());
        assertThat(process.isAlive()).as("store process started, see its log in " + dir).isTrue();
        return new Store(process, Integer.parseInt(Files.readString(portFile)));
    }

    private static MongoClient connect(Store store) {
        return MongoClients.create("mongodb://127.0.0.1:" + store.port());
    }

    private static MongoCollection<Document> users(MongoClient client) {
        return client.getDatabase("durability").getCollection("users");
    }

    /** SIGKILL on Linux: the JVM gets no chance to close the store. */
    private static void kill9(Store store) throws InterruptedException {
        Process process = store.process();
        process.destroyForcibly();
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status of a process killed by SIGKILL").isEqualTo(128 + 9);
    }

    private static <T> T acknowledged(Publisher<T> write) {
        return Mono.from(write).block(TIMEOUT);
    }
}
