package com.example.shop.gateway.populate;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.core.io.buffer.PooledDataBuffer;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswerBudgetTest {

    private final List<Long> reserved = new ArrayList<>();

    private AnswerBudget budget(long documents, long bytes, long memory) {
        return new AnswerBudget(documents, bytes, count -> {
            if (reserved.stream().mapToLong(Long::longValue).sum() + count > memory) {
                return false;
            }
            reserved.add(count);
            return true;
        });
    }

    @Test
    void documentsOverTheLimitAreRefusedNamingItAndTheCount() {
        AnswerBudget budget = budget(10, 1000, 1000);
        budget.documents(10);

        assertThatThrownBy(() -> budget.documents(1)).isInstanceOfSatisfying(PopulateLimitException.class, over -> {
            assertThat(over.limit()).isEqualTo(PopulateLimitException.Limit.DOCUMENTS);
            assertThat(over.max()).isEqualTo(10);
            assertThat(over.counted()).isEqualTo(11);
            assertThat(over.foreseen()).isFalse();
            assertThat(over.getMessage()).startsWith("populate: ").contains("10 documents");
        });
    }

    @Test
    void bytesAreReservedAsTheyAreCountedAndRefusedOverEitherBound() {
        AnswerBudget budget = budget(10, 1000, 500);
        budget.bytes(400);

        assertThat(reserved).containsExactly(400L);
        assertThatThrownBy(() -> budget.bytes(200)).isInstanceOf(MemoryRefusedException.class);
        assertThatThrownBy(() -> budget.bytes(500)).isInstanceOfSatisfying(PopulateLimitException.class,
                over -> assertThat(over.limit()).isEqualTo(PopulateLimitException.Limit.BYTES));
        assertThat(reserved).as("nothing over a bound is reserved").containsExactly(400L);
    }

    @Test
    void aBodyIsCountedPartByPartAndEndsWithTheRefusalItsPartsMeet() {
        AnswerBudget budget = budget(10, 10, 100);
        List<DataBuffer> parts = List.of(part("12345"), part("6789"), part("abc"));

        StepVerifier.create(budget.counted(Flux.fromIterable(parts)))
                .expectNextCount(2)
                .verifyError(PopulateLimitException.class);

        assertThat(budget.bytesCounted()).isEqualTo(12);
        assertThat(((PooledDataBuffer) parts.get(2)).isAllocated()).as("the refused part is released").isFalse();
    }

    @Test
    void aRefusalIsFoundBehindWhatALookupWrappedItIn() {
        MemoryRefusedException refusal = new MemoryRefusedException(10);
        Exception wrapped = new WebClientResponseException(200, "OK", null, null, null);
        wrapped.initCause(refusal);

        assertThat(AnswerBudget.refusal(new IllegalStateException(wrapped))).isSameAs(refusal);
        assertThat(AnswerBudget.refusal(new IllegalStateException("backend down"))).isNull();
    }

    private static DataBuffer part(String text) {
        return new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT).wrap(text.getBytes());
    }
}
