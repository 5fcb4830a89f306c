package com.example.shop.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.LongStream;

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
 * median and 90th percentile of the time per write and the median of the rounds' means, and the data file's size
 * at the end of each round (before the stop). Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q -pl shared/store-embedded -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * cd shared/store-embedded && java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     com.example.shop.store.embedded.FileStoreWriteCost [writes per round] [rounds]
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
                long[] nanos = run(variant, dir.resolve(round + "-" + variants.indexOf(variant) + ".mv"), writes);
                if (round > 0) { // round 0 warms the JVM up
                    variant.record(nanos);
                }
            }
        }
        Files.delete(dir);
        for (Variant variant : variants) {
            System.out.println(variant.report());
        }
    }

    /** The time each acknowledged write took, in nanoseconds. */
    private static long[] run(Variant variant, Path file, int writes) throws IOException {
        MongoBackend backend = variant.backend().apply(file.toString());
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        long[] nanos = new long[writes];
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            MongoCollection<org.bson.Document> users = client.getDatabase("cost").getCollection("users");
            for (int i = 0; i < writes; i++) {
                long start = System.nanoTime();
                Mono.from(users.updateOne(new org.bson.Document("_id", "user-" + i % 100),
                        new org.bson.Document("$push", new org.bson.Document("cart.items",
                                new org.bson.Document("productId", "p" + i).append("quantity", 1))),
                        new UpdateOptions().upsert(true))).block(Duration.ofSeconds(30));
                nanos[i] = System.nanoTime() - start;
            }
            variant.fileSizes().add(Files.size(file));
            return nanos;
        }
        finally {
            server.shutdownNow();
            Files.delete(file);
        }
    }

    private record Variant(String name, Function<String, MongoBackend> backend, List<Double> roundMeans,
            List<Long> latencies, List<Long> fileSizes) {

        Variant(String name, Function<String, MongoBackend> backend) {
            this(name, backend, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        void record(long[] nanos) {
            roundMeans.add(LongStream.of(nanos).average().orElseThrow() / 1e6);
            LongStream.of(nanos).forEach(latencies::add);
        }

        String report() {
            List<Long> sorted = latencies.stream().sorted().toList();
            return String.format(Locale.ROOT, "%-28s per acknowledged write: p50 %.3f ms, p90 %.3f ms; "
                            + "median of the rounds' means %.3f ms (rounds: %s); data file after a round: %s KiB",
                    name, sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 9 / 10) / 1e6,
                    roundMeans.stream().sorted().toList().get(roundMeans.size() / 2),
                    roundMeans.stream().map(ms -> String.format(Locale.ROOT, "%.3f", ms)).toList(),
                    fileSizes.stream().map(bytes -> bytes / 1024).toList());
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
