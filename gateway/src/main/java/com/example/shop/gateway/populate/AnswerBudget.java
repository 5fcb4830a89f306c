package com.example.shop.gateway.populate;

import java.util.function.LongPredicate;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * What one populated answer may take: at most {@code maxDocuments} documents populated into it and at most
 * {@code maxBytes} of memory counted for it, each count also reserved in the memory of all answers in flight
 * ({@code reserve}). Counted as the work proceeds, from whatever thread brings it: the backend's answer as it is
 * read and each lookup's answer as it arrives (so a lookup cannot bring more than the budget before it is
 * counted), the JSON trees parsed from them beyond their bytes, and each document copied into the answer, at its
 * size as written plus its copy's containers ({@link JsonSize}), in every place it stands. What is counted is what
 * the answer holds while it is composed and sent: its trees, its copies, and the bytes it will be written as.
 * <p>
 * Over either limit: {@link PopulateLimitException} (400), and the work stops; a reservation refused:
 * {@link MemoryRefusedException} (503). The caller gives the reservation back when the answer is done, sent,
 * failed or cancelled.
 */
public final class AnswerBudget {

    /** Where a populate run keeps its budget in the Reactor context, for the lookups to count what they bring. */
    public static final Class<AnswerBudget> CONTEXT_KEY = AnswerBudget.class;

    private final long maxDocuments;

    private final long maxBytes;

    private final LongPredicate reserve;

    private long documents;

    private long bytes;

    /**
     * @param reserve takes bytes from the memory of all answers in flight; false when it cannot
     */
    public AnswerBudget(long maxDocuments, long maxBytes, LongPredicate reserve) {
        this.maxDocuments = maxDocuments;
        this.maxBytes = maxBytes;
        this.reserve = reserve;
    }

    /** No limit, nothing reserved: for runs outside a request (tests, benchmarks). */
    public static AnswerBudget unlimited() {
        return new AnswerBudget(Long.MAX_VALUE, Long.MAX_VALUE, bytes -> true);
    }

    public long maxDocuments() {
        return maxDocuments;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Counts {@code count} documents populated into the answer. */
    public synchronized void documents(long count) {
        documents = PlanNode.saturatedAdd(documents, count);
        if (documents > maxDocuments) {
            throw PopulateLimitException.counted(PopulateLimitException.Limit.DOCUMENTS, maxDocuments, documents);
        }
    }

    /** Counts {@code count} bytes of the answer, and reserves them. */
    public synchronized void bytes(long count) {
        bytes = PlanNode.saturatedAdd(bytes, count);
        if (bytes > maxBytes) {
            throw PopulateLimitException.counted(PopulateLimitException.Limit.BYTES, maxBytes, bytes);
        }
        if (!reserve.test(count)) {
            throw new MemoryRefusedException(count);
        }
    }

    /**
     * {@code body} with each part counted ({@link #bytes}) as it comes; a part refused is released, and the
     * body ends with the refusal.
     */
    public Flux<DataBuffer> counted(Publisher<? extends DataBuffer> body) {
        return Flux.<DataBuffer>from(body).handle((part, sink) -> {
            try {
                bytes(part.readableByteCount());
                sink.next(part);
            }
            catch (RuntimeException over) {
                DataBufferUtils.release(part);
                sink.error(over);
            }
        });
    }

    public synchronized long documentsCounted() {
        return documents;
    }

    public synchronized long bytesCounted() {
        return bytes;
    }

    /**
     * The budget's refusal behind {@code error} (a lookup's failure wraps what stopped it), or null when it is
     * another failure: a refusal ends the whole answer, where a lookup's own failure only leaves its ids unresolved.
     */
    public static RuntimeException refusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof PopulateLimitException || cause instanceof MemoryRefusedException) {
                return (RuntimeException) cause;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
