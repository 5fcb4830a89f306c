package com.example.shop.deletion;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CleanupBackoffTest {

    private final CleanupProperties properties = new CleanupProperties(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofSeconds(30));

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheCap() {
        assertThat(properties.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(properties.backoff(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(properties.backoff(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.backoff(1_000)).isEqualTo(Duration.ofSeconds(60));
    }
}
