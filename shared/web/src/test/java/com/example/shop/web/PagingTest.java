package com.example.shop.web;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.data.domain.Sort;

import static com.example.shop.web.QueryParametersTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagingTest {

    private static final Set<String> SORTABLE = Set.of("price", "title");

    @Test
    void sortsOnKnownFieldsThenById() {
        var request = Paging.of(query("page=2&size=10&sort=price,desc&sort=title"), SORTABLE);
        assertThat(request.getPageNumber()).isEqualTo(2);
        assertThat(request.getPageSize()).isEqualTo(10);
        assertThat(request.getSort()).containsExactly(Sort.Order.desc("price"), Sort.Order.asc("title"),
                Sort.Order.asc("_id"));
    }

    @Test
    void withoutParametersTheFirstPageOf20OrderedById() {
        var request = Paging.of(query(""), SORTABLE);
        assertThat(request.getPageNumber()).isZero();
        assertThat(request.getPageSize()).isEqualTo(Paging.DEFAULT_SIZE);
        assertThat(request.getSort()).containsExactly(Sort.Order.asc("_id"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ' ', value = {
            "page=-1 page", "size=101 size", "size=0 size", "size=0x10 size",
            "sort=email sort", "sort=price,up sort", "sort=price,asc,x sort",
            // bare, empty, repeated
            "page page", "page= page", "page=1&page=2 page", "size size", "size= size", "size=5&size=5 size",
            "sort sort", "sort= sort", "sort=price, sort", "sort=price&sort=price,desc sort"})
    void refusesWithTheParameterNamed(String given, String parameter) {
        assertThatThrownBy(() -> Paging.of(query(given), SORTABLE)).isInstanceOfSatisfying(ApiException.class,
                refused -> assertThat(refused.errors()).extracting(FieldProblem::field).containsExactly(parameter));
    }

    @Test
    void anUnknownSortFieldIsAnsweredWithTheSortableOnes() {
        assertThatThrownBy(() -> Paging.of(query("sort=email"), SORTABLE)).hasMessageContaining("price, title");
    }
}
