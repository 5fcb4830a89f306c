package com.example.shop.store;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.CriteriaDefinition;
import org.springframework.data.mongodb.core.query.Query;

import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterOperator;

/**
 * A list's filters ({@link com.example.shop.web.filter.FilterParser}) as the store's query: each field's
 * conditions in one flat expression ({@code {price: {$gte: 10, $lt: 20}}}), next to the list's own criteria
 * ({@code deletion: null}), so that an index on the field serves them (a prefix beside other conditions on its
 * field goes in an {@code $and} of its own). {@code eq} is {@code $eq}, {@code in}
 * {@code $in}, {@code gt}... {@code $gt}..., and {@code prefix} a case-sensitive regular expression anchored at
 * the start with every other character literal ({@code $regex: "^Lam"}, as text: the embedded store reads no
 * BSON regular expression after {@code $regex}), the one form of a regular expression MongoDB
 * answers from an index. Decimals are compared as {@code Decimal128}, as the services store them. Used for the
 * page and for its count alike, so that {@code totalElements} counts what the pages hold.
 */
public final class FilterQueries {

    private static final String REGEX_SPECIALS = "\\^$.|?*+()[]{}";

    private FilterQueries() {
    }

    /** {@code base} (the list's own criteria), and every one of {@code filters}. */
    public static Query query(Criteria base, List<Filter> filters) {
        Map<String, Document> byField = new LinkedHashMap<>();
        Map<String, Object> prefixes = new LinkedHashMap<>();
        for (Filter filter : filters) {
            if (filter.operator() == FilterOperator.PREFIX) {
                prefixes.put(filter.field().storedAs(), operand(filter));
            }
            else {
                byField.computeIfAbsent(filter.field().storedAs(), field -> new Document())
                        .put(operator(filter.operator()), operand(filter));
            }
        }
        List<Document> separate = new ArrayList<>();
        prefixes.forEach((field, prefix) -> {
            if (byField.containsKey(field)) {
                // the embedded store reads nothing but $regex (and $options) beside a $regex: MongoDB's answer
                // is the same with the prefix in a condition of its own
                separate.add(new Document(field, new Document("$regex", prefix)));
            }
            else {
                byField.put(field, new Document("$regex", prefix));
            }
        });
        Query query = Query.query(base);
        byField.forEach((field, condition) -> query.addCriteria(new FieldCondition(field, condition)));
        if (!separate.isEmpty()) {
            query.addCriteria(new FieldCondition("$and", separate));
        }
        return query;
    }

    /**
     * The distinct values of the id field {@code storedAs} ({@code _id}, or a reference such as {@code userId}) among
     * the documents of {@code entity} that pass {@code base} and every one of {@code filters}, at most {@code limit}:
     * a read of the ids alone ({@code _id}), or one aggregation ({@code $match}, {@code $group} by the field,
     * {@code $limit}) that holds no more than {@code limit} of them, whatever matches. For the gateway's filters through
     * a reference ({@code com.example.shop.web.filter.MatchingIds}).
     */
    public static Flux<ObjectId> distinctIds(ReactiveMongoTemplate mongo, Class<?> entity, Criteria base,
            List<Filter> filters, String storedAs, int limit) {
        Query query = query(base, filters);
        String collection = mongo.getCollectionName(entity);
        if (storedAs.equals("_id")) {
            query.fields().include("_id");
            return mongo.find(query.limit(limit), Document.class, collection).map(found -> found.getObjectId("_id"));
        }
        Document match = query.getQueryObject();
        Aggregation distinct = Aggregation.newAggregation(
                Aggregation.match(new FieldCondition("$and", List.of(match, new Document(storedAs, new Document("$ne", null))))),
                Aggregation.group(storedAs),
                Aggregation.limit(limit));
        return mongo.aggregate(distinct, collection, Document.class).map(group -> group.getObjectId("_id"));
    }

    private static String operator(FilterOperator operator) {
        return switch (operator) {
            case EQ -> "$eq";
            case IN -> "$in";
            case GT -> "$gt";
            case GTE -> "$gte";
            case LT -> "$lt";
            case LTE -> "$lte";
            case PREFIX -> throw new IllegalArgumentException("a prefix is a condition of its own");
        };
    }

    private static Object operand(Filter filter) {
        return switch (filter.operator()) {
            case IN -> filter.values().stream().map(FilterQueries::stored).toList();
            case PREFIX -> "^" + literal((String) filter.value());
            default -> stored(filter.value());
        };
    }

    private static Object stored(Object value) {
        return value instanceof BigDecimal decimal ? new Decimal128(decimal) : value;
    }

    /** {@code text} as a regular expression that matches it literally: each special character escaped. */
    static String literal(String text) {
        StringBuilder literal = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c < 128 && REGEX_SPECIALS.indexOf(c) >= 0) {
                literal.append('\\');
            }
            literal.appendCodePoint(c);
        });
        return literal.toString();
    }

    /** The conditions on one field, as a criteria of their own (a query takes one per field). */
    private record FieldCondition(String field, Object conditions) implements CriteriaDefinition {

        @Override
        public Document getCriteriaObject() {
            return new Document(field, conditions);
        }

        @Override
        public String getKey() {
            return field;
        }
    }
}
