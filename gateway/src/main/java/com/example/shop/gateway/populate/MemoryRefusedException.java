package com.example.shop.gateway.populate;

/**
 * The memory for all answers in flight cannot take this answer's next bytes: the answer is given up (503
 * with {@code Retry-After}) rather than composed past the bound. Thrown by {@link AnswerBudget} when its
 * reservation is refused; no stack trace (it says how busy the gateway is, not where something broke).
 */
public class MemoryRefusedException extends RuntimeException {

    private final long bytes;

    public MemoryRefusedException(long bytes) {
        super("the memory for answers in flight cannot take " + bytes + " more bytes", null, false, false);
        this.bytes = bytes;
    }

    public long bytes() {
        return bytes;
    }
}
