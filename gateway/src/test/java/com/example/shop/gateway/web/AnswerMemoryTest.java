package com.example.shop.gateway.web;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerMemoryTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final AnswerMemory memory = new AnswerMemory(1000, Duration.ofMillis(1500), registry);

    private double used() {
        return registry.get("gateway.answer.memory.used").gauge().value();
    }

    private double refusals(String by) {
        return registry.get("gateway.answer.memory.refusals").tag("by", by).counter().count();
    }

    @Test
    void reservationsShareTheBoundAndGiveBackWhatTheyHeld() {
        AnswerMemory.Reservation first = memory.open(AnswerMemory.Reader.POPULATE);
        AnswerMemory.Reservation second = memory.open(AnswerMemory.Reader.CONDITIONAL_GET);

        assertThat(first.tryAdd(600)).isTrue();
        assertThat(second.tryAdd(300)).isTrue();
        assertThat(second.tryAdd(101)).isFalse();
        assertThat(second.tryAdd(100)).isTrue();
        assertThat(used()).isEqualTo(1000);

        first.release();

        assertThat(used()).isEqualTo(400);
        assertThat(second.tryAdd(600)).isTrue();
        second.release();
        assertThat(memory.used()).isZero();
        assertThat(refusals("conditional-get")).isEqualTo(1);
        assertThat(refusals("populate")).isZero();
    }

    @Test
    void aReleasedReservationTakesNothingMoreAndIsReleasedOnce() {
        AnswerMemory.Reservation reservation = memory.open(AnswerMemory.Reader.POPULATE);
        reservation.tryAdd(500);
        AnswerMemory.Reservation other = memory.open(AnswerMemory.Reader.POPULATE);
        other.tryAdd(200);

        reservation.release();
        reservation.release();

        // a lookup answering after its request was cancelled holds nothing
        assertThat(reservation.tryAdd(10)).isFalse();
        assertThat(memory.used()).isEqualTo(200);
        assertThat(refusals("populate")).as("not a refusal for lack of memory").isZero();
    }

    @Test
    void aRefusedAnswerIsCountedOnceHoweverOftenItAsks() {
        AnswerMemory.Reservation reservation = memory.open(AnswerMemory.Reader.POPULATE);

        assertThat(reservation.tryAdd(1001)).isFalse();
        assertThat(reservation.tryAdd(2000)).isFalse();

        assertThat(refusals("populate")).isEqualTo(1);
        assertThat(memory.used()).isZero();
    }

    @Test
    void retryAfterIsInWholeSecondsRoundedUp() {
        assertThat(memory.retryAfterSeconds()).isEqualTo(2);
        assertThat(new AnswerMemory(1, Duration.ZERO, registry).retryAfterSeconds()).isEqualTo(1);
        assertThat(registry.get("gateway.answer.memory.max").gauge().value()).isEqualTo(1000);
    }
}
