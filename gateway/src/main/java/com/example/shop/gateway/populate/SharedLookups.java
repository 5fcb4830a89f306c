package com.example.shop.gateway.populate;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Lookups in flight shared between the requests that need them at once: a lookup identical to one already in flight
 * (the same resource, the same ids in any order, the same list options, the same viewer) makes no backend call of
 * its own but waits for that one's answer. Only lookups in flight at the same time share: a call's entry is gone
 * when it ends, before its answer is delivered, so nothing is kept (keeping answers is the populate cache's work).
 * <p>
 * The viewer ({@code viewers}: the caller as the backend sees it, or one for all on a resource every caller sees
 * alike) is part of the key, since lookups are made on the caller's behalf and a backend answers callers
 * differently: one caller's view of a document never reaches another.
 * <p>
 * A shared call is Reactor's {@link Mono#share()}: the first request's subscription starts it, later ones join it;
 * one request that stops waiting (its deadline, its client gone, its answer refused) leaves the call to the others,
 * and the call is cancelled only when no request waits for it any more. An error reaches every request that waits
 * and is not kept. The call runs outside every request's {@link AnswerBudget}: its answer's bytes are counted as
 * they arrive on a counter of its own, and counted in each waiting answer's budget once the answer is whole (so one
 * request's refusal never ends the call for the others, and a request that has stopped waiting is never charged).
 * The documents of a shared answer reach several requests: the engine copies them and never changes them.
 * <p>
 * Read-your-writes: a write through the gateway makes every call then in flight unavailable to lookups that come
 * after it ({@link #forgetInFlight()}, by {@code WriteInvalidationFilter} before the write's answer goes out), so that
 * a client's next read never gets an answer that a backend gave before the write; the requests already waiting for
 * such a call still get its answer.
 */
public final class SharedLookups {

    /** A lookup: what is looked up and for whom; equal keys share one call. */
    private record Key(String resource, String field, Set<String> ids, ListOptions options, String viewer) {
    }

    /** An answer and the bytes it brought. */
    private record Counted<T>(T answer, long bytes) {
    }

    private final boolean enabled;

    private final Function<String, Mono<String>> viewers;

    private final ConcurrentMap<Key, Mono<? extends Counted<?>>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param enabled whether lookups are shared at all ({@code shop.populate.share-in-flight-lookups})
     * @param viewers the viewer of a lookup of a resource, for the current request (the gateway's {@code Viewers})
     */
    public SharedLookups(boolean enabled, Function<String, Mono<String>> viewers) {
        this.enabled = enabled;
        this.viewers = viewers;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * {@code fetcher} of {@code resource}'s documents, sharing identical lookups in flight; {@code shared} is told of
     * each lookup that joined a call instead of making one; {@code fetcher} itself when sharing is off.
     */
    public DocumentFetcher documents(String resource, DocumentFetcher fetcher, Runnable shared) {
        if (!enabled) {
            return fetcher;
        }
        return ids -> viewers.apply(resource).flatMap(viewer ->
                join(new Key(resource, null, Set.copyOf(ids), null, viewer), () -> fetcher.fetch(ids), shared));
    }

    /** {@code fetcher} of lists of {@code resource}'s documents, sharing identical lookups in flight. */
    public ListFetcher lists(String resource, ListFetcher fetcher, Runnable shared) {
        if (!enabled) {
            return fetcher;
        }
        return (field, ids, options) -> viewers.apply(resource).flatMap(viewer ->
                join(new Key(resource, field, Set.copyOf(ids), options, viewer),
                        () -> fetcher.fetch(field, ids, options), shared));
    }

    /**
     * Makes the calls in flight now unavailable to lookups from now on, which make calls of their own; those already
     * waiting for them are answered. A call forgotten here does not remove the call that takes its place as it ends.
     */
    public void forgetInFlight() {
        inFlight.clear();
    }

    /** How many calls are in flight now (that a lookup could join). */
    int inFlight() {
        return inFlight.size();
    }

    private <T> Mono<T> join(Key key, Supplier<Mono<T>> call, Runnable shared) {
        return Mono.deferContextual(context -> {
            AtomicReference<Mono<Counted<T>>> started = new AtomicReference<>();
            @SuppressWarnings("unchecked")
            Mono<Counted<T>> joined = (Mono<Counted<T>>) inFlight.computeIfAbsent(key, k -> {
                started.set(start(k, call));
                return started.get();
            });
            if (joined != started.get()) {
                shared.run();
            }
            Optional<AnswerBudget> budget = context.getOrEmpty(AnswerBudget.CONTEXT_KEY);
            return joined.map(counted -> {
                budget.ifPresent(answer -> answer.bytes(counted.bytes()));
                return counted.answer();
            });
        });
    }

    /** The shared call of {@code key}: gone from the calls in flight as it ends or is cancelled. */
    private <T> Mono<Counted<T>> start(Key key, Supplier<Mono<T>> call) {
        AtomicReference<Mono<Counted<T>>> self = new AtomicReference<>();
        Runnable gone = () -> inFlight.remove(key, self.get());
        Mono<Counted<T>> shared = Mono.defer(() -> {
                    AnswerBudget bytes = AnswerBudget.unlimited();
                    return call.get()
                            .map(answer -> new Counted<>(answer, bytes.bytesCounted()))
                            .contextWrite(context -> context.put(AnswerBudget.CONTEXT_KEY, bytes));
                })
                .doOnTerminate(gone)
                .doOnCancel(gone)
                .share();
        self.set(shared);
        return shared;
    }
}
