package com.example.shop.gateway.web;

import java.util.concurrent.Semaphore;

/**
 * The bytes of request bodies the gateway may hold at once, all requests together
 * ({@code shop.gateway.requests.body-budget}): a request sets aside what its body may take before a byte
 * of it is read, and gives back what it does not use once the body is in, the rest when it is done.
 * A semaphore of one permit per byte, taken without waiting.
 */
public final class BodyBudget {

    private final int capacity;

    private final Semaphore bytes;

    public BodyBudget(int capacity) {
        this.capacity = capacity;
        this.bytes = new Semaphore(capacity);
    }

    /** Sets {@code count} bytes aside, if that many are free now. */
    boolean tryTake(int count) {
        return bytes.tryAcquire(count);
    }

    void giveBack(int count) {
        bytes.release(count);
    }

    /** The bytes set aside now. */
    public long held() {
        return capacity - bytes.availablePermits();
    }

    public int capacity() {
        return capacity;
    }
}
