package com.example.shop.store.embedded;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/**
 * The memory backend's database with {@link IndexedMemoryCollection}s, which also answers the driver's
 * {@code countDocuments} (an {@code aggregate} of {@code $match}, optional {@code $skip} and {@code $limit},
 * and {@code $group: {_id: 1, n: {$sum: 1}}}) with the collection's count: the library runs that pipeline on a
 * copy of every document of the collection, matching each one with its general matcher. The answer is the
 * one the pipeline gives: one document {@code {_id: 1, n: count}}, none when nothing matches.
 */
class IndexedMemoryDatabase extends MemoryDatabase {

    IndexedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
        super(databaseName, cursorRegistry);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        return new IndexedMemoryCollection(this, collectionName, options, cursorRegistry);
    }

    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
            Oplog oplog) {
        if (command.equalsIgnoreCase("aggregate") && query.get(command) instanceof String collectionName) {
            Document count = countDocuments(collectionName, query);
            if (count != null) {
                clearLastStatus(channel);
                return count;
            }
        }
        return super.handleCommand(channel, command, query, databaseResolver, oplog);
    }

    /** The reply to a {@code countDocuments} pipeline, or null for any other command. */
    private Document countDocuments(String collectionName, Document query) {
        for (String option : List.of("hint", "collation", "let", "explain")) {
            if (query.containsKey(option)) {
                return null; // the library's way
            }
        }
        if (!(query.get("pipeline") instanceof List<?> pipeline) || pipeline.size() < 2 || pipeline.size() > 4
                || !(pipeline.get(0) instanceof Document match) || !(match.get("$match") instanceof Document filter)
                || match.size() != 1 || !isCountGroup(pipeline.get(pipeline.size() - 1))) {
            return null;
        }
        int skip = 0;
        int limit = 0;
        for (Object stage : pipeline.subList(1, pipeline.size() - 1)) {
            if (!(stage instanceof Document document) || document.size() != 1) {
                return null;
            }
            int skipValue = wholeNumber(document.get("$skip"));
            int limitValue = wholeNumber(document.get("$limit"));
            if (skipValue >= 0 && limit == 0 && skip == 0) {
                skip = skipValue;
            }
            else if (limitValue > 0 && limit == 0) {
                limit = limitValue;
            }
            else {
                return null;
            }
        }
        MongoCollection<Integer> collection = resolveCollection(collectionName, false);
        if (collection == null) {
            return null;
        }
        int count = collection.count(filter, skip, limit);
        Document group = (Document) ((Document) pipeline.get(pipeline.size() - 1)).get("$group");
        List<Document> batch = count == 0 ? List.of() : List.of(new Document("_id", group.get("_id")).append("n", count));
        Document cursor = new Document("id", 0L);
        cursor.put("ns", getFullCollectionNamespace(collectionName));
        cursor.put("firstBatch", batch);
        Document response = new Document("cursor", cursor);
        Utils.markOkay(response);
        return response;
    }

    /** An int or long that fits an int (the driver sends {@code $skip} and {@code $limit} as longs), else -1. */
    private static int wholeNumber(Object value) {
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
                && ((Number) value).longValue() <= Integer.MAX_VALUE) {
            return ((Number) value).intValue();
        }
        return -1;
    }

    /** {@code {$group: {_id: 1, n: {$sum: 1}}}}, as the driver sends it. */
    private static boolean isCountGroup(Object stage) {
        if (!(stage instanceof Document document) || document.size() != 1
                || !(document.get("$group") instanceof Document group) || group.size() != 2
                || !(group.get("_id") instanceof Integer id) || id != 1) {
            return false;
        }
        for (Map.Entry<String, Object> field : group.entrySet()) {
            if (!field.getKey().equals("_id") && !field.getKey().equals("n")) {
                return false;
            }
        }
        return group.get("n") instanceof Document sum && sum.size() == 1 && sum.get("$sum") instanceof Integer one
                && one == 1;
    }
}
