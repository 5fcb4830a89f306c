package com.example.shop.gateway.routing;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import com.example.shop.gateway.populate.ListFetcher;
import com.example.shop.gateway.populate.ListOptions;

import static org.assertj.core.api.Assertions.assertThat;

class PopulateMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void eachListLookupIsCountedWithItsParentsWhenItIsSubscribed() {
        ListFetcher lists = (field, ids, options) -> Mono.just(Map.<String, JsonNode>of(ids.get(0),
                JsonNodeFactory.instance.arrayNode()));
        ListFetcher metered = new PopulateMetrics(registry).meteredLists("product", lists);

        Mono<Map<String, JsonNode>> lookup = metered.fetch("userId", List.of("a", "b", "c"), ListOptions.DEFAULT);
        assertThat(registry.get("gateway.populate.list.lookups").tag("target", "product").counter().count())
                .as("nothing sent before it is subscribed").isZero();
        assertThat(lookup.block()).containsOnlyKeys("a");
        metered.fetch("userId", List.of("d"), ListOptions.DEFAULT).block();

        assertThat(registry.get("gateway.populate.list.lookups").tag("target", "product").counter().count()).isEqualTo(2);
        assertThat(registry.get("gateway.populate.list.parents").tag("target", "product").summary().totalAmount())
                .isEqualTo(4);
    }
}
