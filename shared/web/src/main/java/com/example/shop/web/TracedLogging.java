package com.example.shop.web;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.util.context.ContextView;

/**
 * Log lines written from a reactive chain's callbacks with the request's trace context in the MDC: its trace and
 * span ids, as in the request's other lines. The processes copy the Reactor context into thread locals only where
 * asked ({@code spring.reactor.context-propagation: limited}, shop-operations' defaults): the automatic copy at every
 * operator cost a quarter of a request's CPU (bench/NOTES.md), so each line a request can log is written through
 * here, with the context of the chain it is logged from ({@code Mono.deferContextual}).
 */
public final class TracedLogging {

    private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

    private TracedLogging() {
    }

    /** Runs {@code logging} with the thread locals {@code context} carries (the request's trace ids) set. */
    public static void in(ContextView context, Runnable logging) {
        try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
            logging.run();
        }
    }
}
