package com.example.shop.gateway.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.web.util.UriComponentsBuilder;

import com.example.shop.gateway.populate.Shape;

import static org.assertj.core.api.Assertions.assertThat;

/** How many documents {@link PopulateGatewayFilterFactory} foresees a GET answering with, before asking the backend. */
class PopulateRootsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ITEM       | size=100                 | 1",
            "COLLECTION | ''                       | 20",
            "COLLECTION | size=100                 | 100",
            "COLLECTION | size=7&page=3            | 7",
            "COLLECTION | size=1000                | 100",
            "COLLECTION | size=0                   | 1",
            "COLLECTION | size=0x10                | 100",
            "COLLECTION | ids=a,b,,c&size=100      | 3",
            "COLLECTION | ids=a,a,b&ids=c          | 3"})
    void aPageIsItsSizeTheIdsAskedForOrTheServicesDefault(Shape shape, String query, long roots) {
        assertThat(PopulateGatewayFilterFactory.roots(shape, UriComponentsBuilder.fromUriString("/api/x?" + query).build().getQueryParams()))
                .isEqualTo(roots);
    }
}
