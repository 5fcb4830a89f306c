package com.example.shop.store.embedded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.stream.IntStream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * The memory backend's collection, answering the queries the services send without sorting the whole
 * collection. The plain {@link MemoryCollection} collects every matching document, sorts them all and only
 * then skips and limits, and counts by running the query again; a page of 50 out of 5,000 documents cost
 * about 10 ms. This one keeps, besides the library's own {@code _id} index, the positions of the documents in
 * {@code _id} order (as MongoDB's {@code _id} index is ordered), and:
 * <ul>
 * <li>sorted by {@code _id} alone (a page without a {@code sort} parameter): walks that order and stops after
 * skip + limit matches;</li>
 * <li>a filter that names {@code _id} (one id, or {@code $in} of ids) together with other fields (the
 * services' batch lookups, {@code {deletion: null, _id: {$in: [...]}}}): looks the ids up in the {@code _id}
 * index and matches only those documents, where the library matched every document of the collection (it
 * uses an index only when the filter names nothing else);</li>
 * <li>any other sort with a limit: keeps the first skip + limit documents in a bounded heap, each sort key
 * read once per document, instead of sorting every match;</li>
 * <li>a count: counts matches without collecting them;</li>
 * <li>{@code field: null} conditions on top-level fields (the services' "not deleted"): checked directly
 * instead of through the library's general matcher, which splits each field path with a regular
 * expression for every document.</li>
 * </ul>
 * The answers are the library's, document for document and in the same order (equal sort keys keep the
 * collection's natural order, as the library's stable sort does): {@code IndexedMemoryBackendTest} compares
 * both. Every other query goes to the library unchanged.
 */
class IndexedMemoryCollection extends MemoryCollection {

    private static final String ID = "_id";

    /** The documents' positions in {@code _id} order; equal ids (not possible under the unique index) by position. */
    private final NavigableSet<IdEntry> idOrder = new TreeSet<>(
            Comparator.comparing(IdEntry::id, ValueComparator.asc()).thenComparingInt(IdEntry::position));

    /** One past the highest position ever used: the library's list of documents never shrinks. */
    private int positions;

    IndexedMemoryCollection(MongoDatabase database, String collectionName, CollectionOptions options,
            CursorRegistry cursorRegistry) {
        super(database, collectionName, options, cursorRegistry);
    }

    private record IdEntry(Object id, int position) {

        static IdEntry of(Document document, int position) {
            return new IdEntry(Utils.getSubdocumentValueCollectionAware(document, ID), position);
        }
    }

    @Override
    protected synchronized Integer addDocumentInternal(Document document) {
        Integer position = super.addDocumentInternal(document);
        positions = Math.max(positions, position + 1);
        idOrder.add(IdEntry.of(document, position));
        return position;
    }

    @Override
    protected synchronized void removeDocument(Integer position) {
        idOrder.remove(IdEntry.of(getDocument(position), position));
        super.removeDocument(position);
    }

    @Override
    protected boolean documentMatchesQuery(Document document, Document query) {
        Boolean matches = matchesNullConditions(document, query);
        return matches != null ? matches : super.documentMatchesQuery(document, query);
    }

    /**
     * The answer for a filter made only of {@code field: null} conditions on top-level fields, or null when the
     * filter has another shape or a value needs the library's matcher (an array may hold null).
     */
    private static Boolean matchesNullConditions(Document document, Document query) {
        if (query.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            String field = condition.getKey();
            if (condition.getValue() != null || field.startsWith("$") || field.indexOf('.') >= 0) {
                return null;
            }
        }
        for (String field : query.keySet()) {
            Object value = document.get(field);
            if (value == null || value instanceof Missing) {
                continue;
            }
            if (value instanceof String || value instanceof Number || value instanceof ObjectId
                    || value instanceof Boolean || value instanceof Document || value instanceof Instant) {
                return false;
            }
            return null;
        }
        return true;
    }

    @Override
    protected synchronized QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
            int batchSize, Document fieldSelector) {
        if (libraryIndexCanHandle(query) || numberToSkip < 0 || limit < 0 || !isPlainSort(orderBy)) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        List<Integer> byId = positionsOfQueriedIds(query);
        List<Document> selected;
        if (byId != null) {
            List<Document> matched = matching(byId.iterator(), query, Integer.MAX_VALUE);
            if (orderBy != null && !orderBy.isEmpty()) {
                matched.sort(new DocumentComparator(orderBy)); // the library's own sort of these few
            }
            selected = matched;
        }
        else if (isIdOrder(orderBy) && limit > 0) {
            boolean ascending = ((Number) orderBy.get(ID)).intValue() > 0;
            NavigableSet<IdEntry> walk = ascending ? idOrder : idOrder.descendingSet();
            selected = matching(walk.stream().map(IdEntry::position).iterator(), query, saturatedSum(numberToSkip, limit));
        }
        else if (orderBy != null && !orderBy.isEmpty() && limit > 0) {
            selected = firstInOrder(query, orderBy, saturatedSum(numberToSkip, limit));
        }
        else {
            selected = null;
        }
        if (selected == null) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        List<Document> page = numberToSkip >= selected.size() ? List.of()
                : selected.subList(numberToSkip, selected.size());
        // the library's last steps: the limit, the projection and the first batch (a cursor for the rest); it
        // matches each document again, a cheap check for the page's few
        return matchDocumentsFromStream(query, page.stream(), 0, limit, batchSize, null, fieldSelector);
    }

    @Override
    public synchronized int count(Document query, int skip, int limit) {
        if (query == null || query.isEmpty() || libraryIndexCanHandle(query)) {
            return super.count(query, skip, limit);
        }
        List<Integer> byId = positionsOfQueriedIds(query);
        Iterator<Integer> candidates = byId != null ? byId.iterator() : IntStream.range(0, positions).iterator();
        int count = 0;
        while (candidates.hasNext()) {
            Document document = getDocument(candidates.next());
            if (document != null && documentMatchesQuery(document, query)) {
                count++;
            }
        }
        count = Math.max(0, count - Math.max(skip, 0));
        return limit > 0 ? Math.min(limit, count) : count;
    }

    private boolean libraryIndexCanHandle(Document query) {
        for (Index<Integer> index : getIndexes()) {
            if (index.canHandle(query)) {
                return true;
            }
        }
        return false;
    }

    private Index<Integer> idIndex() {
        for (Index<Integer> index : getIndexes()) {
            if (index.isUnique() && index.getKeys().size() == 1 && ID.equals(index.getKeys().get(0).getKey())) {
                return index;
            }
        }
        return null;
    }

    /**
     * The positions, in natural order, of the documents whose ids the filter names ({@code _id: id} or
     * {@code _id: {$in: [ids]}}, ids being ObjectIds or strings, next to other conditions); null for any other
     * filter.
     */
    private List<Integer> positionsOfQueriedIds(Document query) {
        if (!query.containsKey(ID)) {
            return null;
        }
        Object condition = query.get(ID);
        List<?> ids;
        if (isPlainId(condition)) {
            ids = List.of(condition);
        }
        else if (condition instanceof Document expression && expression.size() == 1
                && expression.get("$in") instanceof List<?> list && list.stream().allMatch(this::isPlainId)) {
            ids = list;
        }
        else {
            return null;
        }
        Index<Integer> index = idIndex();
        if (index == null) {
            return null;
        }
        TreeSet<Integer> found = new TreeSet<>();
        for (Object id : ids) {
            Integer position = index.getPosition(new Document(ID, id));
            if (position != null) {
                found.add(position);
            }
        }
        return new ArrayList<>(found);
    }

    private boolean isPlainId(Object value) {
        return value instanceof ObjectId || value instanceof String;
    }

    /** A sort the library would do with its {@code DocumentComparator}: none, or fields with 1 or -1. */
    private static boolean isPlainSort(Document orderBy) {
        if (orderBy == null) {
            return true;
        }
        for (Map.Entry<String, Object> key : orderBy.entrySet()) {
            if (key.getKey().startsWith("$") || !(key.getValue() instanceof Number direction)
                    || Math.abs(direction.intValue()) != 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdOrder(Document orderBy) {
        return orderBy != null && orderBy.size() == 1 && orderBy.containsKey(ID);
    }

    private static int saturatedSum(int a, int b) {
        long sum = (long) a + b;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }

    private List<Document> matching(Iterator<Integer> candidates, Document query, int wanted) {
        List<Document> matched = new ArrayList<>();
        while (matched.size() < wanted && candidates.hasNext()) {
            Document document = getDocument(candidates.next());
            if (document != null && documentMatchesQuery(document, query)) {
                matched.add(document);
            }
        }
        return matched;
    }

    /** A matched document with its sort keys, read once, and its place in natural order (the tie-break). */
    private record Keyed(Document document, Object[] keys, int place) {
    }

    /**
     * The first {@code wanted} matching documents in the order of {@code orderBy}, as the library's stable sort
     * of all matches would give them, kept in a heap of at most {@code wanted} entries; null when a sort key
     * is an array.
     */
    private List<Document> firstInOrder(Document query, Document orderBy, int wanted) {
        List<String> fields = new ArrayList<>(orderBy.keySet());
        ValueComparator[] directions = new ValueComparator[fields.size()];
        for (int i = 0; i < directions.length; i++) {
            directions[i] = ((Number) orderBy.get(fields.get(i))).intValue() > 0
                    ? ValueComparator.asc() : ValueComparator.desc();
        }
        Comparator<Keyed> order = (a, b) -> {
            for (int i = 0; i < directions.length; i++) {
                int cmp = directions[i].compare(a.keys()[i], b.keys()[i]);
                if (cmp != 0) {
                    return cmp;
                }
            }
            return Integer.compare(a.place(), b.place());
        };
        PriorityQueue<Keyed> heap = new PriorityQueue<>(order.reversed());
        int place = 0;
        for (int position = 0; position < positions; position++) {
            Document document = getDocument(position);
            if (document == null || !documentMatchesQuery(document, query)) {
                continue;
            }
            Object[] keys = new Object[fields.size()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = Utils.getSubdocumentValueCollectionAware(document, fields.get(i));
                if (keys[i] instanceof Collection) {
                    // arrays are ordered by their least or greatest element, an order the library's sort does
                    // not keep transitive: only its own sort gives its answer
                    return null;
                }
            }
            Keyed candidate = new Keyed(document, keys, place++);
            if (heap.size() < wanted) {
                heap.add(candidate);
            }
            else if (order.compare(candidate, heap.peek()) < 0) {
                heap.poll();
                heap.add(candidate);
            }
        }
        List<Keyed> first = new ArrayList<>(heap);
        first.sort(order);
        List<Document> documents = new ArrayList<>(first.size());
        for (Keyed keyed : first) {
            documents.add(keyed.document());
        }
        return documents;
    }
}
