package com.example.shop.store.embedded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.Set;
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
 * <li>filters made of {@code field: null} (the services' "not deleted"), {@code field: id} and
 * {@code field: {$in: [ids]}} conditions on top-level fields (a page narrowed to the ids a filter through a
 * reference matched, {@code {deletion: null, userId: {$in: [1,000 ids]}}}): checked directly, each {@code $in}
 * against a hash set made once per query, instead of through the library's general matcher, which splits each
 * field path with a regular expression and walks the whole {@code $in} list for every document.</li>
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
        Boolean matches = simpleConditions(query).matches(document);
        return matches != null ? matches : super.documentMatchesQuery(document, query);
    }

    /** The conditions of the last filter read, kept for the next documents matched against the same filter. */
    private volatile SimpleConditions lastConditions = SimpleConditions.NONE;

    private SimpleConditions simpleConditions(Document query) {
        SimpleConditions conditions = lastConditions;
        if (conditions.query() != query) {
            conditions = SimpleConditions.of(query);
            lastConditions = conditions;
        }
        return conditions;
    }

    /**
     * A filter made only of {@code field: null}, {@code field: id} and {@code field: {$in: [ids]}} conditions on
     * top-level fields (ids: ObjectIds or strings), each id condition as the set of its ids; {@code fields} null
     * for a filter of any other shape.
     *
     * @param query    the filter read, compared by identity: the library matches every document against one instance
     * @param fields   each field and its ids (null for a {@code field: null} condition)
     */
    private record SimpleConditions(Document query, Map<String, Set<Object>> fields) {

        static final SimpleConditions NONE = new SimpleConditions(null, null);

        static SimpleConditions of(Document query) {
            if (query.isEmpty()) {
                return new SimpleConditions(query, null);
            }
            Map<String, Set<Object>> fields = new LinkedHashMap<>();
            for (Map.Entry<String, Object> condition : query.entrySet()) {
                String field = condition.getKey();
                Object value = condition.getValue();
                if (field.startsWith("$") || field.indexOf('.') >= 0) {
                    return new SimpleConditions(query, null);
                }
                if (value == null) {
                    fields.put(field, null);
                }
                else if (isPlainId(value)) {
                    fields.put(field, Set.of(value));
                }
                else if (value instanceof Document expression && expression.size() == 1
                        && expression.get("$in") instanceof List<?> list && list.stream().allMatch(IndexedMemoryCollection::isPlainId)) {
                    fields.put(field, new HashSet<>(list));
                }
                else {
                    return new SimpleConditions(query, null);
                }
            }
            return new SimpleConditions(query, fields);
        }

        /** Whether {@code document} passes, or null when only the library's matcher can tell (an array, ...). */
        Boolean matches(Document document) {
            if (fields == null) {
                return null;
            }
            for (Map.Entry<String, Set<Object>> condition : fields.entrySet()) {
                Object value = document.get(condition.getKey());
                boolean absent = value == null || value instanceof Missing;
                Set<Object> ids = condition.getValue();
                if (ids == null) {
                    if (absent) {
                        continue;
                    }
                    if (value instanceof String || value instanceof Number || value instanceof ObjectId
                            || value instanceof Boolean || value instanceof Document || value instanceof Instant) {
                        return false;
                    }
                    return null;
                }
                if (absent) {
                    return false;
                }
                if (!isPlainId(value)) {
                    return null; // an array matches by its elements, a number by value: the library's rules
                }
                if (!ids.contains(value)) {
                    return false;
                }
            }
            return true;
        }
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
                && expression.get("$in") instanceof List<?> list && list.stream().allMatch(IndexedMemoryCollection::isPlainId)) {
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

    private static boolean isPlainId(Object value) {
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
