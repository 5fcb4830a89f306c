package com.example.shop.product.product.domain;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Query;

import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterOperator;
import com.example.shop.web.filter.FilterableField;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * What the owners' products cost the store: one query for all owners, read only until every owner has
 * its limit; one aggregation for the counts. (What they answer is {@code ProductApiContract}'s subject.)
 */
class OwnedProductsCostTest {

    final ReactiveMongoTemplate mongo = mock(ReactiveMongoTemplate.class);

    final ProductService products = new ProductService(mongo, null, Clock.systemUTC());

    final ObjectId a = new ObjectId();

    final ObjectId b = new ObjectId();

    @Test
    void oneQueryForAllOwnersReadUntilEveryOwnerHasItsLimit() {
        // a's and b's products alternate, then a long tail of a's: the query is cut after b's second
        List<Product> stream = new ArrayList<>(List.of(product(a), product(b), product(a), product(b)));
        for (int i = 0; i < 1000; i++) {
            stream.add(product(a));
        }
        AtomicInteger read = new AtomicInteger();
        AtomicBoolean cancelled = new AtomicBoolean();
        when(mongo.find(any(Query.class), eq(Product.class))).thenReturn(Flux.fromIterable(stream)
                .doOnNext(product -> read.incrementAndGet()).doOnCancel(() -> cancelled.set(true)));

        products.productsOf(List.of(a, b), List.of(), Sort.by("price", "_id"), 0, 2).as(StepVerifier::create)
                .assertNext(byOwner -> {
                    assertThat(byOwner).containsOnlyKeys(a, b);
                    assertThat(byOwner.get(a)).containsExactly(stream.get(0), stream.get(2));
                    assertThat(byOwner.get(b)).containsExactly(stream.get(1), stream.get(3));
                })
                .verifyComplete();

        assertThat(read).hasValue(4);
        assertThat(cancelled).isTrue();
        ArgumentCaptor<Query> query = ArgumentCaptor.forClass(Query.class);
        verify(mongo, times(1)).find(query.capture(), eq(Product.class));
        assertThat(query.getValue().getQueryObject())
                .isEqualTo(new Document("deletion", null).append("userId", new Document("$in", List.of(a, b))));
        assertThat(query.getValue().getSortObject()).isEqualTo(new Document("price", 1).append("_id", 1));
    }

    @Test
    void anOwnerWhoseProductsRunOutLeavesTheOthersToBeReadToTheEnd() {
        when(mongo.find(any(Query.class), eq(Product.class))).thenReturn(Flux.just(product(a), product(b), product(b)));

        products.productsOf(List.of(a, b), List.of(), Sort.by("_id"), 0, 5).as(StepVerifier::create)
                .assertNext(byOwner -> {
                    assertThat(byOwner.get(a)).hasSize(1);
                    assertThat(byOwner.get(b)).hasSize(2);
                })
                .verifyComplete();
    }

    @Test
    void withASkipEachOwnerIsReadUntilItHasSkipAndLimitAndTheFiltersGoInTheQuery() {
        // a's and b's products alternate: skip 2 and limit 1 need 3 of each, so 6 are read
        List<Product> stream = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stream.add(product(a));
            stream.add(product(b));
        }
        AtomicInteger read = new AtomicInteger();
        when(mongo.find(any(Query.class), eq(Product.class))).thenReturn(Flux.fromIterable(stream)
                .doOnNext(product -> read.incrementAndGet()));
        Filter atLeast100 = new Filter(ProductService.FILTERABLE.get("price").orElseThrow(), FilterOperator.GTE,
                List.of(new BigDecimal("100")));

        products.productsOf(List.of(a, b), List.of(atLeast100), Sort.by("_id"), 2, 1).as(StepVerifier::create)
                .assertNext(byOwner -> {
                    assertThat(byOwner.get(a)).containsExactly(stream.get(4));
                    assertThat(byOwner.get(b)).containsExactly(stream.get(5));
                })
                .verifyComplete();

        assertThat(read).hasValue(6);
        ArgumentCaptor<Query> query = ArgumentCaptor.forClass(Query.class);
        verify(mongo).find(query.capture(), eq(Product.class));
        assertThat(query.getValue().getQueryObject()).isEqualTo(new Document("deletion", null)
                .append("userId", new Document("$in", List.of(a, b)))
                .append("price", new Document("$gte", new Decimal128(new BigDecimal("100")))));
    }

    @Test
    void filtersOnTheOwnerChooseOwnersAndAskTheStoreOnlyForThem() {
        FilterableField owner = ProductService.FILTERABLE.get("userId").orElseThrow();
        when(mongo.find(any(Query.class), eq(Product.class))).thenReturn(Flux.just(product(b)));

        products.productsOf(List.of(a, b), List.of(new Filter(owner, FilterOperator.IN, List.of(b, new ObjectId()))),
                        Sort.by("_id"), 0, 5).as(StepVerifier::create)
                .assertNext(byOwner -> {
                    assertThat(byOwner).containsOnlyKeys(a, b);
                    assertThat(byOwner.get(a)).isEmpty();
                    assertThat(byOwner.get(b)).hasSize(1);
                })
                .verifyComplete();
        ArgumentCaptor<Query> query = ArgumentCaptor.forClass(Query.class);
        verify(mongo).find(query.capture(), eq(Product.class));
        assertThat(query.getValue().getQueryObject())
                .isEqualTo(new Document("deletion", null).append("userId", new Document("$in", List.of(b))));

        products.countsOf(List.of(a), List.of(new Filter(owner, FilterOperator.EQ, List.of(b)))).as(StepVerifier::create)
                .expectNext(Map.of())
                .verifyComplete();
        verify(mongo, times(0)).aggregate(any(Aggregation.class), eq(Product.class), eq(Document.class));
    }

    @Test
    void theCountsAreOneAggregationGroupingByOwner() {
        ArgumentCaptor<Aggregation> aggregation = ArgumentCaptor.forClass(Aggregation.class);
        when(mongo.aggregate(aggregation.capture(), eq(Product.class), eq(Document.class)))
                .thenReturn(Flux.just(new Document("_id", a).append("count", 7)));

        products.countsOf(List.of(a, b), List.of()).as(StepVerifier::create)
                .expectNext(Map.of(a, 7L))
                .verifyComplete();

        assertThat(aggregation.getValue().toPipeline(Aggregation.DEFAULT_CONTEXT)).containsExactly(
                new Document("$match", new Document("deletion", null).append("userId", new Document("$in", List.of(a, b)))),
                new Document("$group", new Document("_id", "$userId").append("count", new Document("$sum", 1))));
    }

    private static Product product(ObjectId owner) {
        return new Product(new ObjectId(), "t", "https://img.example.com/t.png", BigDecimal.ONE, "d", owner, null);
    }
}
