package com.example.shop.gateway.routing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock transformer that holds the answers of the stubs that name it ({@code withTransformers(NAME)}) until the
 * test {@link #release()}s them, or until a number of requests have arrived ({@link #holdUntil}: proof that they were
 * in flight together), counting the requests that arrived: the test knows what is in flight at the backend while it
 * waits, without a delay that a slow machine could outrun.
 */
final class HeldResponses implements ResponseDefinitionTransformerV2 {

    static final String NAME = "held";

    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** Whether each arrival opens the gate a step ({@link #holdUntil}), or only {@link #release()} does. */
    private volatile boolean arrivalsOpen;

    private final AtomicInteger arrived = new AtomicInteger();

    /** From now on, answers wait for {@link #release()}; the count of arrivals starts again. */
    void hold() {
        arrived.set(0);
        arrivalsOpen = false;
        gate = new CountDownLatch(1);
    }

    /** From now on, answers wait until {@code parties} requests have arrived; the count of arrivals starts again. */
    void holdUntil(int parties) {
        arrived.set(0);
        arrivalsOpen = true;
        gate = new CountDownLatch(parties);
    }

    void release() {
        gate.countDown();
    }

    /** The requests that arrived since {@link #hold()}, held or not. */
    int arrived() {
        return arrived.get();
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        arrived.incrementAndGet();
        CountDownLatch gate = this.gate;
        if (arrivalsOpen) {
            gate.countDown();
        }
        try {
            // a test that fails before it releases them does not hold WireMock's threads for long
            gate.await(20, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return serveEvent.getResponseDefinition();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
