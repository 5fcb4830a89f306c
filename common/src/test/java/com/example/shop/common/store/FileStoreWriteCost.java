package com.example.shop.common.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import reactor.core.publisher.Mono;

/**
 * What an acknowledged write costs on the file store: one client writes cart items one after another (each
 * waits for its acknowledgement) through the MongoDB driver, to the H2 backend as it was (the MVStore commits
 * in the background about once a second), to {@link CommittingH2Backend} (a commit per command, as the services
 * now run), and, for comparison, to a backend that also forces the file to disk (fsync) per command. Prints the
 * median time per write over several rounds. Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q -pl common test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp common/target/test-classes:common/target/classes:$(cat common/target/test.classpath) \
 *     com.example.shop.common.store.FileStoreWriteCost [writes per round] [rounds]
 * </pre>
 */
public final class FileStoreWriteCost {

    private FileStoreWriteCost() {
    }

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("file-store-write-cost");
        List<Variant> variants = List.of(
                new Variant("background commit (before)", H2Backend::new),
                new Variant("commit per command (now)", CommittingH2Backend::new),
                new Variant("commit + fsync per command", SyncingH2Backend::new));
        // rounds interleave the variants, so that a busy machine slows them alike
        for (int round = 0; round <= rounds; round++) {
            for (Variant variant : variants) {
                double micros = run(variant, dir.resolve(round + "-" + variants.indexOf(variant) + ".mv"), writes);
                if (round > 0) { // round 0 warms the JVM up
                    variant.results().add(micros);
                }
            }
        }
        Files.delete(dir);
        for (Variant variant : variants) {
            List<Double> sorted = variant.results().stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%-28s median %7.3f ms per acknowledged write  (rounds: %s; data file "
                            + "after the round: %s KiB)%n",
                    variant.name(), sorted.get(sorted.size() / 2) / 1000,
                    variant.results().stream().map(us -> String.format(Locale.ROOT, "%.3f", us / 1000)).toList(),
                    variant.fileSizes().stream().map(bytes -> bytes / 1024).toList());
        }
    }

    /** Microseconds per acknowledged write. */
    private static double run(Variant variant, Path file, int writes) throws IOException {
        MongoBackend backend = variant.backend().apply(file.toString());
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            MongoCollection<org.bson.Document> users = client.getDatabase("cost").getCollection("users");
            long start = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                Mono.from(users.updateOne(new org.bson.Document("_id", "user-" + i % 100),
                        new org.bson.Document("$push", new org.bson.Document("cart.items",
                                new org.bson.Document("productId", "p" + i).append("quantity", 1))),
                        new UpdateOptions().upsert(true))).block(Duration.ofSeconds(30));
            }
            return (System.nanoTime() - start) / 1000.0 / writes;
        }
        finally {
            server.shutdownNow();
            variant.fileSizes().add(Files.size(file));
            Files.delete(file);
        }
    }

    private record Variant(String name, Function<String, MongoBackend> backend, List<Double> results,
            List<Long> fileSizes) {
        Variant(String name, Function<String, MongoBackend> backend) {
            this(name, backend, new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Commits and then forces the file to disk after every command: survives a crash of the machine too. */
    private static final class SyncingH2Backend extends CommittingH2Backend {

        SyncingH2Backend(String fileName) {
            super(fileName);
        }

        @Override
        public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
            try {
                return super.handleCommand(channel, databaseName, command, query);
            }
            finally {
                getMvStore().sync();
            }
        }
    }
}
