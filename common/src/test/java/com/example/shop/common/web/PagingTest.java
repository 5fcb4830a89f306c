package com.example.shop.common.web;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagingTest {

    private static final Set<String> SORTABLE = Set.of("price", "title");

    @Test
    void sortsOnKnownFieldsThenById() {
        var request = Paging.of(2, 10, List.of("price,desc", "title"), SORTABLE);
        assertThat(request.getPageNumber()).isEqualTo(2);
        assertThat(request.getPageSize()).isEqualTo(10);
        assertThat(request.getSort()).containsExactly(Sort.Order.desc("price"), Sort.Order.asc("title"),
                Sort.Order.asc("_id"));
    }

    @Test
    void withoutSortOrdersById() {
        assertThat(Paging.of(0, 20, List.of(), SORTABLE).getSort()).containsExactly(Sort.Order.asc("_id"));
    }

    @Test
    void rejectsOutOfRangeAndUnknownWithTheParameterNamed() {
        assertThatThrownBy(() -> Paging.of(-1, 20, List.of(), SORTABLE)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("page:");
        assertThatThrownBy(() -> Paging.of(0, 101, List.of(), SORTABLE)).hasMessageStartingWith("size:");
        assertThatThrownBy(() -> Paging.of(0, 0, List.of(), SORTABLE)).hasMessageStartingWith("size:");
        assertThatThrownBy(() -> Paging.of(0, 5, List.of("email"), SORTABLE)).hasMessageContaining("price, title");
        assertThatThrownBy(() -> Paging.of(0, 5, List.of("price,up"), SORTABLE)).hasMessageStartingWith("sort:");
        assertThatThrownBy(() -> Paging.of(0, 5, List.of("price,asc,x"), SORTABLE)).hasMessageStartingWith("sort:");
    }
}
