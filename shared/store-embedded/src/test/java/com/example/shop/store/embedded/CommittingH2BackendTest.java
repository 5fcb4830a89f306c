package com.example.shop.store.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.mongodb.client.model.UpdateOptions;
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
        long whileRunning = StoreServers.withCollection(new CommittingH2Backend(file.toString()), "users", users -> {
            for (int i = 0; i < 1000; i++) {
                Mono.from(users.updateOne(new Document("_id", "user-" + i % 20), new Document("$push",
                                new Document("cart.items", new Document("productId", "p" + i).append("quantity", 1))),
                        new UpdateOptions().upsert(true))).block(TIMEOUT);
            }
            return size(file);
        });

        assertThat(size(file)).isLessThan(whileRunning / 2);
        List<Integer> cartSizes = StoreServers.withCollection(new H2Backend(file.toString()), "users",
                users -> Flux.from(users.find())
                        .map(user -> user.get("cart", Document.class).getList("items", Document.class).size())
                        .collectList().block(TIMEOUT));
        assertThat(cartSizes).hasSize(20).containsOnly(50);
    }

    private static long size(Path file) {
        return file.toFile().length();
    }
}
