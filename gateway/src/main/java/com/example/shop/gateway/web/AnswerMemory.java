package com.example.shop.gateway.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The memory of all answers in flight: a count of the bytes they hold, which no answer may take beyond
 * {@code maxBytes}. Each request that holds an answer (a populated one, or one held whole to be tagged)
 * opens a {@link Reservation}, adds to it as the bytes come, and closes it when its answer has gone out,
 * failed or been cancelled: the bytes go back to the pool, whatever happened. A reservation refused is the
 * caller's to turn into an answer: a 503 with {@code Retry-After} for a populated request, an untagged
 * answer streamed through for a plain one.
 * <p>
 * The figures: {@code gateway_answer_memory_used_bytes} (reserved now), {@code gateway_answer_memory_max_bytes},
 * and {@code gateway_answer_memory_refusals_total{by}} ({@code populate}: answered 503; {@code conditional-get}:
 * sent untagged).
 * <p>
 * Why the default (24 MB, {@link AnswerMemoryProperties}) fits the gateway's heap of 96 MB (Serial GC, ~92 MB usable),
 * measured with the production {@code jvm.options}: at rest, warmed up, the gateway keeps ~33 MB alive. One answer
 * costs ~1 to 1.5 bytes of heap per byte its budget counts ({@code AnswerBudget}; the largest live heap after a
 * full GC, less the 33 MB, over what the answers in flight counted): 1.0 for answers of large documents (2,200
 * copies of 5 KB products, 13.5 MB counted, 12 MB written), up to 1.5 for many small ones (10,000 products of 150
 * bytes, 5.9 to 15.4 MB counted, what a tree or a copy really holds varying around its estimate). So 24 MB of
 * answers in flight take at most ~36 MB, and the heap peaks near 70 MB, leaving ~20 MB for the rest of the traffic
 * and the collector (32 MB would leave ~10 MB: a run with it once saw 91 MB live). Under 16 clients asking for the
 * largest answers for a minute the largest live heap after a full GC was 54 MB.
 */
public final class AnswerMemory {

    /** A reason for a refusal, as tagged in the counter. */
    public enum Reader {

        POPULATE("populate"),

        CONDITIONAL_GET("conditional-get");

        private final String tag;

        Reader(String tag) {
            this.tag = tag;
        }
    }

    /**
     * An exchange attribute saying that the answer's bytes are reserved by whoever composes it (populate), so
     * that holding it whole to tag it does not reserve them twice.
     */
    public static final String RESERVED_ATTRIBUTE = AnswerMemory.class.getName() + ".reserved";

    private final long maxBytes;

    private final Duration retryAfter;

    private final AtomicLong used = new AtomicLong();

    private final Counter populateRefusals;

    private final Counter conditionalGetRefusals;

    public AnswerMemory(long maxBytes, Duration retryAfter, MeterRegistry registry) {
        this.maxBytes = maxBytes;
        this.retryAfter = retryAfter;
        Gauge.builder("gateway.answer.memory.used", used, AtomicLong::get)
                .description("Bytes reserved now by the answers in flight (populated, or held whole to be tagged)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("gateway.answer.memory.max", () -> maxBytes)
                .description("The most bytes the answers in flight may reserve (shop.gateway.answer-memory.max-size)")
                .baseUnit("bytes")
                .register(registry);
        this.populateRefusals = refusals(registry, Reader.POPULATE);
        this.conditionalGetRefusals = refusals(registry, Reader.CONDITIONAL_GET);
    }

    public static AnswerMemory of(AnswerMemoryProperties properties, MeterRegistry registry) {
        return new AnswerMemory(properties.maxSize().toBytes(), properties.retryAfter(), registry);
    }

    /** No bound: for tests of what uses it. */
    public static AnswerMemory unbounded() {
        return new AnswerMemory(Long.MAX_VALUE, Duration.ofSeconds(1), new SimpleMeterRegistry());
    }

    private static Counter refusals(MeterRegistry registry, Reader reader) {
        return Counter.builder("gateway.answer.memory.refusals")
                .description("Answers refused (populate: 503) or sent untagged (conditional-get) because the memory "
                        + "for answers in flight was taken")
                .tag("by", reader.tag)
                .register(registry);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }

    /** The {@code Retry-After} of a refusal, in whole seconds, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** A reservation of nothing yet, for one answer; close it ({@link Reservation#release()}) when the answer is done. */
    public Reservation open(Reader reader) {
        return new Reservation(reader);
    }

    private boolean take(long bytes) {
        long now;
        do {
            now = used.get();
            if (bytes > maxBytes - now) {
                return false;
            }
        }
        while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /**
     * The bytes one answer holds. Added to from whatever thread brings them, released once: what is added
     * after its release is refused (a lookup answering after its request was cancelled holds nothing).
     */
    public final class Reservation {

        private final Reader reader;

        private long held;

        private boolean released;

        private boolean refused;

        private Reservation(Reader reader) {
            this.reader = reader;
        }

        /** Reserves {@code bytes} more; false, counted once as a refusal, when the memory cannot take them. */
        public synchronized boolean tryAdd(long bytes) {
            if (released) {
                return false;
            }
            if (bytes <= 0) {
                return true;
            }
            if (!take(bytes)) {
                if (!refused) {
                    refused = true;
                    (reader == Reader.POPULATE ? populateRefusals : conditionalGetRefusals).increment();
                }
                return false;
            }
            held += bytes;
            return true;
        }

        /** Gives back everything it holds; further additions are refused. */
        public synchronized void release() {
            if (!released) {
                released = true;
                used.addAndGet(-held);
                held = 0;
            }
        }

        public synchronized long held() {
            return held;
        }
    }
}
