package com.example.shop.store.embedded;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IndexedMemoryBackend} answers as the library's {@link MemoryBackend} does: the same data written the
 * same way to both, then every combination of filter, sort, skip and limit below (some served by its own
 * paths, some handed to the library) must give the same documents in the same order, and the same counts.
 */
class IndexedMemoryBackendTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final List<MongoServer> servers = new ArrayList<>();

    private static final List<MongoClient> clients = new ArrayList<>();

    private static MongoCollection<Document> plain;

    private static MongoCollection<Document> indexed;

    private static final List<Object> ids = new ArrayList<>();

    /** An owner stored as an ObjectId, alone and in an array, on a few documents. */
    private static ObjectId OWNER;

    @BeforeAll
    static void sameDataInBoth() {
        plain = collection(new MemoryBackend());
        indexed = collection(new IndexedMemoryBackend());
        Random random = new Random(11);
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Document document = new Document("_id", new ObjectId(new java.util.Date(1_700_000_000_000L + i * 1000L), i))
                    .append("title", "Product " + (i % 40)).append("price", (i * 7) % 13).append("userId", "u" + i % 17);
            switch (i % 10) {
                case 0 -> document.append("deletion", new Document("at", new java.util.Date(i * 1000L)).append("attempts", 1));
                case 1 -> document.append("deletion", null);
                case 2 -> document.append("deletion", Arrays.asList((Object) null));
                case 3 -> document.append("deletion", List.of());
                case 4 -> document.append("deletion", "x");
                default -> { }
            }
            documents.add(document);
        }
        documents.add(new Document("_id", "a-string-id").append("title", "Product 1").append("price", 3));
        documents.add(new Document("_id", 42).append("title", "Product 2").append("price", 3));
        documents.add(new Document("_id", new Document("compound", 1)).append("title", "Product 3").append("price", 5));
        // prices as the services store them (Decimal128), beside the plain numbers, for the filters' comparisons
        for (int i = 0; i < 12; i++) {
            documents.add(new Document("_id", new ObjectId(new java.util.Date(1_650_000_000_000L), i))
                    .append("title", (i % 2 == 0 ? "Desk (oak) " : "Desk.") + i)
                    .append("price", new Decimal128(new BigDecimal(i + ".50"))).append("userId", "u" + i % 3));
        }
        // owners as ObjectIds (as the services store them), in arrays, null, or of another type, for the id conditions
        ObjectId owner = new ObjectId(new java.util.Date(1_640_000_000_000L), 1);
        for (int i = 0; i < 8; i++) {
            Object userId = switch (i % 4) {
                case 0 -> owner;
                case 1 -> Arrays.asList("u1", owner);
                case 2 -> null;
                default -> 7;
            };
            documents.add(new Document("_id", new ObjectId(new java.util.Date(1_640_000_000_000L), 100 + i))
                    .append("title", "Owned " + i).append("price", i).append("userId", userId));
        }
        OWNER = owner;
        Collections.shuffle(documents, random); // natural order is not _id order
        for (Document document : documents) {
            ids.add(document.get("_id"));
        }
        for (MongoCollection<Document> collection : List.of(plain, indexed)) {
            for (Document document : documents) {
                Mono.from(collection.insertOne(new Document(document)))
                        .block(TIMEOUT);
            }
            // holes, filled again by later inserts: natural order differs from insertion order
            for (int i = 0; i < 30; i++) {
                Mono.from(collection.deleteOne(Filters.eq("_id", ids.get(i * 5)))).block(TIMEOUT);
            }
            for (int i = 0; i < 10; i++) {
                Mono.from(collection.insertOne(new Document("_id", new ObjectId(new java.util.Date(1_600_000_000_000L), i))
                        .append("title", "Late " + i).append("price", i % 3))).block(TIMEOUT);
            }
            Mono.from(collection.updateMany(Filters.eq("userId", "u3"),
                    Updates.set("deletion", new Document("at", new java.util.Date(1000L))))).block(TIMEOUT);
        }
    }

    @AfterAll
    static void stop() {
        clients.forEach(MongoClient::close);
        servers.forEach(MongoServer::shutdown);
    }

    private static MongoCollection<Document> collection(MongoBackend backend) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        servers.add(server);
        MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        clients.add(client);
        return client.getDatabase("shop").getCollection("products");
    }

    private static List<Bson> filters() {
        // deleted, tombstoned and live documents, named in neither natural nor _id order; repeats and unknown ids
        List<Object> someIds = new ArrayList<>(List.of(ids.get(7), "a-string-id", new ObjectId(), "no-such-id"));
        for (int i = 290; i > 0; i -= 3) {
            if (ids.get(i) instanceof ObjectId) {
                someIds.add(ids.get(i));
            }
        }
        List<Object> otherIds = List.of(42, new Document("compound", 1), ids.get(8), ids.get(9));
        // flat filters, as Spring Data's Criteria writes them; the driver's Filters.and writes $and, which the
        // backend hands to the library
        return List.of(new Document(), Filters.eq("deletion", null),
                notDeleted().append("userId", new Document("$in", List.of("u1", "u2", "u5"))),
                notDeleted().append("_id", new Document("$in", someIds)),
                new Document("_id", new Document("$in", someIds)).append("deletion", null),
                notDeleted().append("_id", new Document("$in", someIds)).append("price", new Document("$gt", 4)),
                Filters.and(Filters.eq("deletion", null), Filters.in("_id", someIds)),
                Filters.in("_id", someIds), Filters.in("_id", List.of()),
                notDeleted().append("_id", new Document("$in", List.of())),
                notDeleted().append("_id", new Document("$in", otherIds)), notDeleted().append("_id", 42),
                notDeleted().append("_id", ids.get(12)), new Document("_id", ids.get(13)).append("title", "nothing"),
                notDeleted().append("title", null), Filters.eq("title", "Product 3"), Filters.ne("deletion", null),
                Filters.exists("deletion.at"), Filters.eq("deletion.at", null),
                notDeleted().append("_id", new Document("$gt", ids.get(3))),
                // the shapes of lists' filters (FilterQueries): one flat expression per field beside deletion: null
                notDeleted().append("price", new Document("$gte", 3).append("$lt", 9)),
                notDeleted().append("price", new Document("$gt", decimal("2.5")).append("$lte", decimal("8"))),
                notDeleted().append("price", new Document("$in", List.of(decimal("3.50"), 3, decimal("7")))),
                notDeleted().append("price", new Document("$eq", decimal("5.50"))),
                notDeleted().append("title", new Document("$regex", "^Product 1")),
                notDeleted().append("title", new Document("$regex", "^Desk \\(oak\\)")),
                notDeleted().append("title", new Document("$regex", "^Desk\\.1")),
                notDeleted().append("title", new Document("$in", List.of("Product 2", "Product 3", "Late 1")))
                        .append("price", new Document("$lte", 6)),
                notDeleted().append("title", new Document("$in", List.of("Product 3", "Late 2")))
                        .append("$and", List.of(new Document("title", new Document("$regex", "^Prod")))),
                notDeleted().append("userId", new Document("$in", List.of("u1", "u2")))
                        .append("price", new Document("$gte", decimal("1")).append("$lt", 12))
                        .append("title", new Document("$regex", "^Desk")),
                notDeleted().append("_id", new Document("$in", someIds)).append("title", new Document("$regex",
                        "^Product")).append("price", new Document("$gte", 4)),
                // a page narrowed to the ids a filter through a reference matched: id conditions checked directly
                notDeleted().append("userId", new Document("$in", List.of("u1", "u4", OWNER, "u16"))),
                notDeleted().append("userId", new Document("$in", List.of(OWNER))).append("title", null),
                new Document("userId", new Document("$in", List.of("u2", "no-such-owner"))),
                notDeleted().append("userId", new Document("$in", List.of())),
                notDeleted().append("userId", "u4"), new Document("userId", OWNER),
                new Document("userId", new Document("$in", List.of(7, "u3"))),
                notDeleted().append("_id", new Document("$in", someIds)).append("userId",
                        new Document("$in", List.of("u1", "u2", "u3", "u4", "u5", "u6", "u7"))));
    }

    private static Decimal128 decimal(String value) {
        return new Decimal128(new BigDecimal(value));
    }

    private static Document notDeleted() {
        return new Document("deletion", null);
    }

    private static List<Bson> sorts() {
        return Arrays.asList(null, new Document("_id", 1), new Document("_id", -1), new Document("title", 1).append("_id", 1),
                new Document("price", -1).append("_id", 1), new Document("price", 1), new Document("title", -1),
                new Document("deletion", 1), new Document("$natural", -1));
    }

    @Test
    void findGivesTheLibrarysDocumentsInTheLibrarysOrder() {
        int compared = 0;
        for (Bson filter : filters()) {
            for (Bson sort : sorts()) {
                for (int skip : new int[] {0, 3, 40, 1000}) {
                    for (int limit : new int[] {0, 1, 7, 50}) {
                        assertThat(find(indexed, filter, sort, skip, limit))
                                .as("filter %s, sort %s, skip %d, limit %d", filter, sort, skip, limit)
                                .isEqualTo(find(plain, filter, sort, skip, limit));
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(filters().size() * sorts().size() * 16);
        assertThat(find(indexed, Filters.eq("deletion", null), new Document("_id", 1), 0, 50)).hasSize(50);
    }

    @Test
    void aPageReadInSmallBatchesIsTheLibrarysToo() {
        for (Bson sort : sorts()) {
            assertThat(Flux.from(indexed.find(Filters.eq("deletion", null)).sort(sort).skip(5).limit(60).batchSize(7))
                    .map(Document::toJson).collectList().block(TIMEOUT))
                    .isEqualTo(Flux.from(plain.find(Filters.eq("deletion", null)).sort(sort).skip(5).limit(60).batchSize(7))
                            .map(Document::toJson).collectList().block(TIMEOUT));
        }
    }

    @Test
    void countsAreTheLibrarys() {
        for (Bson filter : filters()) {
            for (CountOptions options : List.of(new CountOptions(), new CountOptions().skip(10),
                    new CountOptions().limit(20), new CountOptions().skip(5).limit(3), new CountOptions().skip(10_000))) {
                assertThat(Mono.from(indexed.countDocuments(filter, options)).block(TIMEOUT))
                        .as("filter %s, skip %d, limit %d", filter, options.getSkip(), options.getLimit())
                        .isEqualTo(Mono.from(plain.countDocuments(filter, options)).block(TIMEOUT));
            }
        }
        assertThat(Mono.from(indexed.countDocuments(Filters.eq("deletion", null))).block(TIMEOUT)).isPositive();
    }

    @Test
    void theFiltersShapesMatchWhatTheySay() {
        // not vacuous: a prefix's escaped characters match only themselves ("Desk." and "Desk (oak)" titles, some
        // deleted above), and decimals compare by value with plain numbers
        long oak = count(indexed, notDeleted().append("title", new Document("$regex", "^Desk \\(oak\\)")));
        long dotted = count(indexed, notDeleted().append("title", new Document("$regex", "^Desk\\.")));
        assertThat(oak).isPositive();
        assertThat(dotted).isPositive();
        assertThat(count(indexed, notDeleted().append("title", new Document("$regex", "^Desk.")))).isEqualTo(oak + dotted);
        assertThat(count(indexed, notDeleted().append("price", new Document("$gte", decimal("3")).append("$lt", 3.5))))
                .isEqualTo(count(indexed, notDeleted().append("price", 3)));
    }

    private static long count(MongoCollection<Document> collection, Bson filter) {
        return Mono.from(collection.countDocuments(filter)).block(TIMEOUT);
    }

    @Test
    void anAggregationThatIsNoCountIsTheLibrarys() {
        List<Bson> pipeline = List.of(new Document("$match", new Document("deletion", null)),
                new Document("$group", new Document("_id", "$title").append("n", new Document("$sum", 1))),
                new Document("$sort", new Document("_id", 1)));
        assertThat(Flux.from(indexed.aggregate(pipeline)).map(Document::toJson).collectList().block(TIMEOUT))
                .isEqualTo(Flux.from(plain.aggregate(pipeline)).map(Document::toJson).collectList().block(TIMEOUT))
                .isNotEmpty();
    }

    private static List<String> find(MongoCollection<Document> collection, Bson filter, Bson sort, int skip, int limit) {
        return Flux.from(collection.find(filter).sort(sort).skip(skip).limit(limit)).map(Document::toJson)
                .collectList().block(TIMEOUT);
    }
}
