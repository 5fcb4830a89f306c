package com.example.shop.gateway.web;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes of request bodies the gateway may hold at once, all requests together
 * ({@code shop.gateway.requests.body-budget}): a request sets aside what its body may take before a byte
 * of it is read, and gives back what it does not use once the body is in, the rest when it is done.
 * A semaphore of one permit per byte, taken without waiting.
 */
public final class BodyBudget {

    private final int capacity;

    private final Semaphore bytes;

    private final LongAdder refused = new LongAdder();

    public BodyBudget(int capacity) {
        this.capacity = capacity;
        this.bytes = new Semaphore(capacity);
    }

    /** Sets {@code count} bytes aside, if that many are free now; a request refused for it is counted. */
    boolean tryTake(int count) {
        if (bytes.tryAcquire(count)) {
            return true;
        }
        refused.increment();
        return false;
    }

    void giveBack(int count) {
        bytes.release(count);
    }

    /** The bytes set aside now. */
    public long held() {
        return capacity - bytes.availablePermits();
    }

    /** The requests refused so far for want of budget. */
    public long refused() {
        return refused.sum();
    }

    public int capacity() {
        return capacity;
    }
}
