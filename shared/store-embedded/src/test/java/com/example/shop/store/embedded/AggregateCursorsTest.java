package com.example.shop.store.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import de.bwaldvogel.mongo.MongoBackend;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An aggregate that asks for a batch size, as the reactive driver's do, gets its whole answer from both backends of
 * this module, and the library's "Non-empty cursor is not yet implemented" warning is not logged for it
 * ({@link AggregateCursors}).
 */
class AggregateCursorsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Logger aggregationLog =
            (Logger) LoggerFactory.getLogger("de.bwaldvogel.mongo.backend.aggregation.Aggregation");

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @TempDir
    Path dir;

    @BeforeEach
    void listen() {
        logged.start();
        aggregationLog.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        aggregationLog.detachAppender(logged);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void anAggregateWithABatchSizeIsAnsweredWholeWithoutAWarning(String store) {
        MongoBackend backend = store.equals("memory") ? new IndexedMemoryBackend()
                : new CommittingH2Backend(dir.resolve("store.mv").toString());

        Map<String, Integer> productsPerOwner = StoreServers.withCollection(backend, "products", products -> {
            List<Document> seven = List.of("a", "b", "a", "c", "a", "b", "a").stream()
                    .map(owner -> new Document("userId", owner)).toList();
            return Mono.from(products.insertMany(seven))
                    .thenMany(Flux.from(products.aggregate(List.of(
                            Aggregates.group("$userId", Accumulators.sum("count", 1)))).batchSize(2)))
                    .collectMap(group -> group.getString("_id"), group -> group.getInteger("count"))
                    .block(TIMEOUT);
        });

        assertThat(productsPerOwner).isEqualTo(Map.of("a", 4, "b", 2, "c", 1));
        assertThat(logged.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList())).isEmpty();
    }
}
