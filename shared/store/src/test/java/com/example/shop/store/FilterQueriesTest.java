package com.example.shop.store;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.data.mongodb.core.query.Criteria;

import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterOperator;
import com.example.shop.web.filter.FilterableField;

import static org.assertj.core.api.Assertions.assertThat;

class FilterQueriesTest {

    private static final FilterableField PRICE = FilterableField.decimal("price");

    private static final FilterableField TITLE = FilterableField.string("title", 200);

    private static final FilterableField ID = FilterableField.id("id", "_id");

    @Test
    void eachFieldsConditionsAreOneFlatExpressionBesideTheListsOwn() {
        ObjectId a = new ObjectId();
        Document query = FilterQueries.query(Criteria.where("deletion").is(null), List.of(
                new Filter(PRICE, FilterOperator.GTE, List.of(new BigDecimal("10"))),
                new Filter(TITLE, FilterOperator.PREFIX, List.of("La")),
                new Filter(PRICE, FilterOperator.LT, List.of(new BigDecimal("20.5"))),
                new Filter(ID, FilterOperator.IN, List.of(a)),
                new Filter(TITLE, FilterOperator.EQ, List.of("Lamp")))).getQueryObject();

        assertThat(query).isEqualTo(new Document("deletion", null)
                .append("price", new Document("$gte", new Decimal128(new BigDecimal("10")))
                        .append("$lt", new Decimal128(new BigDecimal("20.5"))))
                .append("title", new Document("$eq", "Lamp"))
                .append("_id", new Document("$in", List.of(a)))
                .append("$and", List.of(new Document("title", new Document("$regex", "^La")))));
    }

    @Test
    void aPrefixAloneOnItsFieldIsItsFlatExpression() {
        assertThat(FilterQueries.query(Criteria.where("deletion").is(null),
                List.of(new Filter(TITLE, FilterOperator.PREFIX, List.of("a.b")))).getQueryObject())
                .isEqualTo(new Document("deletion", null).append("title", new Document("$regex", "^a\\.b")));
    }

    @Test
    void noFiltersIsTheListsOwnCriteria() {
        assertThat(FilterQueries.query(Criteria.where("deletion").is(null), List.of()).getQueryObject())
                .isEqualTo(new Document("deletion", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "(x)", "[a-z]", "a|b", "^$", "1+1?", "a*", "\\d", "{2}", "\\Q", "naïve ☕", "a\\E.b"})
    void aPrefixMatchesItsTextLiterally(String text) {
        Pattern prefix = Pattern.compile("^" + FilterQueries.literal(text));
        assertThat(prefix.matcher(text + " and more").lookingAt()).isTrue();
        assertThat(prefix.matcher("x" + text).lookingAt()).isFalse();
        if (text.length() > 1) {
            assertThat(prefix.matcher(text.substring(1)).lookingAt()).isFalse();
        }
    }
}
