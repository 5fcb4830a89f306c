package com.example.shop.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParametersTest {

    /** {@code text} read as the server reads a query: {@code ?a} gives {@code a} a null value, {@code ?a=} an empty one. */
    static MultiValueMap<String, String> query(String text) {
        return UriComponentsBuilder.fromUriString("/?" + text).build().getQueryParams();
    }

    @Test
    void aSingleParameterIsItsValueOrNullWhenAbsent() {
        assertThat(QueryParameters.single(query("size=5"), "size")).isEqualTo("5");
        assertThat(QueryParameters.single(query("page=5"), "size")).isNull();
    }

    @Test
    void aParameterGivenBareEmptyOrTwiceWhereOneIsExpectedIsRefusedByName() {
        for (String given : List.of("count", "count=", "count=true&count=true", "count&count=true")) {
            assertRefused(() -> QueryParameters.single(query(given), "count"), "count");
        }
        assertThatThrownBy(() -> QueryParameters.single(query("count"), "count")).hasMessage(
                "count: " + QueryParameters.NO_VALUE + " (400 BAD_REQUEST)");
    }

    @Test
    void anIntegerIsPlainDecimalDigitsWithinItsRange() {
        assertThat(QueryParameters.integer(query("limit=7"), "limit", 100, 1, 100)).isEqualTo(7);
        assertThat(QueryParameters.integer(query(""), "limit", 100, 1, 100)).isEqualTo(100);
        for (String given : List.of("limit=0", "limit=101", "limit=0x10", "limit=+5", "limit=", "limit", "limit=1&limit=2",
                "limit=99999999999999999999")) {
            assertRefused(() -> QueryParameters.integer(query(given), "limit", 100, 1, 100), "limit");
        }
    }

    @Test
    void aListIsEveryCommaSeparatedEntryOfEveryOccurrence() {
        assertThat(QueryParameters.list(query("ids=a,b&ids=c&ids= d "), "ids")).containsExactly("a", "b", "c", "d");
        assertThat(QueryParameters.list(query("page=1"), "ids")).isEmpty();
        for (String given : List.of("ids", "ids=", "ids=,", "ids=a,,b", "ids=a,", "ids=a&ids=", "ids=a&ids")) {
            assertRefused(() -> QueryParameters.list(query(given), "ids"), "ids");
        }
    }

    @Test
    void eachOccurrenceIsKeptWholeAndNoneMayBeEmpty() {
        assertThat(QueryParameters.each(query("sort=price,desc&sort=title"), "sort")).containsExactly("price,desc", "title");
        assertRefused(() -> QueryParameters.each(query("sort=title&sort"), "sort"), "sort");
        assertRefused(() -> QueryParameters.each(query("sort="), "sort"), "sort");
    }

    private static void assertRefused(Runnable reading, String parameter) {
        assertThatThrownBy(reading::run).isInstanceOfSatisfying(ApiException.class, refused -> {
            assertThat(refused.status().value()).isEqualTo(400);
            assertThat(refused.errors()).extracting(FieldProblem::field).containsExactly(parameter);
        });
    }
}
