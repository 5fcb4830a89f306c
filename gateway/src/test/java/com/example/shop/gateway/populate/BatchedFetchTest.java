package com.example.shop.gateway.populate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import static com.example.shop.gateway.populate.OwnersPage.id;
import static org.assertj.core.api.Assertions.assertThat;

/** Populate fetches the documents of a page in batches: one call for fifty owners. */
class BatchedFetchTest {

    private final List<List<String>> batchCalls = new CopyOnWriteArrayList<>();

    private final DocumentFetcher batched = ids -> {
        batchCalls.add(ids);
        return Mono.just(ids.stream().<JsonNode>map(OwnersPage::user).toList());
    };

    @Test
    void batchedFetchesAPageOfFiftyOwnersInOneCall() {
        PopulateResult result = OwnersPage.populate(batched, batched, 50);

        assertThat(batchCalls).hasSize(1);
        assertThat(result.body().get("content").get(49).get("userId").get("name").stringValue()).isEqualTo("user " + id(49));
    }
}
