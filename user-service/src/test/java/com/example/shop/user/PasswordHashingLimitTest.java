package com.example.shop.user;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Password hashing is bounded: with room for one hash at a time and no queue, a burst of sign-ins and
 * sign-ups is answered 503 with {@code Retry-After} beyond that one, never 500, and never more than one
 * hash runs at once. The hashes are held open by a test encoder until the burst has been answered, so
 * the outcome does not depend on timing.
 */
@TestPropertySource(properties = {"shop.auth.hashing.concurrency=1", "shop.auth.hashing.queue=0"})
@Import(PasswordHashingLimitTest.GatedEncoderConfiguration.class)
class PasswordHashingLimitTest extends ApiTestSupport {

    @Autowired
    GatedEncoder encoder;

    @AfterEach
    void releaseHeldHashes() {
        encoder.release();
    }

    @Test
    void aBurstOfSignInsBeyondTheBoundIs503WithRetryAfterAndOneHashRunsAtATime() {
        encoder.hold();
        // unknown emails: each costs the decoy hash
        List<Answer> answers = burst(12, i -> post("/auth/token",
                Map.of("email", "nobody" + i + "@example.com", "password", PASSWORD)));
        assertThat(answers).extracting(Answer::status).containsOnly(401, 503);
        assertThat(answers).filteredOn(answer -> answer.status() == 401).hasSize(1);
        assertBusyAnswers(answers);
        assertThat(encoder.maxRunning()).isEqualTo(1);
    }

    @Test
    void aBurstOfSignUpsBeyondTheBoundIs503AndCreatesNothingForThoseRefused() {
        encoder.hold();
        List<Answer> answers = burst(6, i -> post("/users",
                Map.of("name", "U" + i, "email", "u" + i + "@example.com", "password", PASSWORD)));
        assertThat(answers).extracting(Answer::status).containsOnly(201, 503);
        assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
        assertBusyAnswers(answers);
        assertThat(userCount()).isEqualTo(1);
        assertThat(encoder.maxRunning()).isEqualTo(1);
    }

    @Test
    void oneAtATimeEveryRequestIsServed() {
        createUser("Ada", "ada@example.com");
        for (int i = 0; i < 3; i++) {
            assertThat(post("/auth/token", Map.of("email", "ada@example.com", "password", PASSWORD))
                    .block(Duration.ofSeconds(30)).status()).isEqualTo(200);
        }
    }

    private static void assertBusyAnswers(List<Answer> answers) {
        assertThat(answers).filteredOn(answer -> answer.status() == 503).isNotEmpty().allSatisfy(answer -> {
            assertThat(answer.retryAfter()).as("Retry-After").isNotNull().matches("[1-9][0-9]*");
            assertThat(answer.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        });
    }

    /**
     * Sends {@code count} requests at once; the one admitted to hashing waits in the encoder until all
     * the others have been answered, then it is let go.
     */
    private List<Answer> burst(int count, java.util.function.IntFunction<Mono<Answer>> request) {
        ConcurrentLinkedQueue<Answer> early = new ConcurrentLinkedQueue<>();
        var all = Flux.range(0, count).flatMap(i -> request.apply(i).doOnNext(early::add), count)
                .collectList().toFuture();
        await().atMost(Duration.ofSeconds(60)).until(() -> early.size() == count - 1 && encoder.held() == 1);
        encoder.release();
        return all.join();
    }

    private Mono<Answer> post(String path, Map<String, String> body) {
        return WebClient.create("http://localhost:" + port).post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.releaseBody().thenReturn(new Answer(response.statusCode().value(),
                        response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                        response.headers().contentType().map(MediaType::toString).orElse(null))));
    }

    record Answer(int status, String retryAfter, String contentType) {
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class GatedEncoderConfiguration {

        @Bean
        @Primary
        GatedEncoder gatedEncoder() {
            return new GatedEncoder(new Argon2PasswordEncoder(16, 32, 1, 64, 1));
        }
    }

    /** Counts the hashes running at once and, while held, keeps each one open until released. */
    static class GatedEncoder implements PasswordEncoder {

        private final PasswordEncoder delegate;

        private final AtomicInteger running = new AtomicInteger();

        private final AtomicInteger maxRunning = new AtomicInteger();

        private final AtomicInteger held = new AtomicInteger();

        private volatile CountDownLatch gate;

        GatedEncoder(PasswordEncoder delegate) {
            this.delegate = delegate;
        }

        void hold() {
            maxRunning.set(0);
            gate = new CountDownLatch(1);
        }

        void release() {
            CountDownLatch current = gate;
            gate = null;
            if (current != null) {
                current.countDown();
            }
        }

        int held() {
            return held.get();
        }

        int maxRunning() {
            return maxRunning.get();
        }

        @Override
        public String encode(CharSequence rawPassword) {
            return around(() -> delegate.encode(rawPassword));
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            return around(() -> delegate.matches(rawPassword, encodedPassword));
        }

        private <T> T around(java.util.function.Supplier<T> hash) {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                CountDownLatch current = gate;
                if (current != null) {
                    held.incrementAndGet();
                    try {
                        current.await(60, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    finally {
                        held.decrementAndGet();
                    }
                }
                return hash.get();
            }
            finally {
                running.decrementAndGet();
            }
        }
    }
}
