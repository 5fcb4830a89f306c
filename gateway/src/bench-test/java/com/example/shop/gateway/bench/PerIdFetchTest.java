package com.example.shop.gateway.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.OwnersPage;
import com.example.shop.gateway.populate.PopulateResult;

import static com.example.shop.gateway.populate.OwnersPage.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's naive fetch: one call per id. Runs with the bench profile:
 * {@code ./mvnw -B -Pbench -pl gateway -am test -Dtest=PerIdFetchTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PerIdFetchTest {

    private final List<List<String>> batchCalls = new CopyOnWriteArrayList<>();

    private final List<String> singleCalls = new CopyOnWriteArrayList<>();

    private final DocumentFetcher batched = ids -> {
        batchCalls.add(ids);
        return Mono.just(ids.stream().<JsonNode>map(OwnersPage::user).toList());
    };

    private Mono<JsonNode> one(String id) {
        singleCalls.add(id);
        return Mono.just(OwnersPage.user(id));
    }

    @Test
    void perIdMakesOneCallPerOwner() {
        PopulateResult result = OwnersPage.populate(new PerIdFetcher(this::one), batched, 50);

        assertThat(batchCalls).isEmpty();
        assertThat(singleCalls).hasSize(50).doesNotHaveDuplicates();
        assertThat(result.unresolved()).isEmpty();
        assertThat(result.body().get("content").get(49).get("userId").get("name").stringValue()).isEqualTo("user " + id(49));
    }
}
