package com.example.shop.gateway.api;

import java.util.Locale;
import java.util.Set;

import reactor.core.publisher.Mono;

import com.example.shop.security.Caller;

/**
 * Whom a populate lookup's answer depends on: the lookups carry the caller's own token, and a backend may answer
 * callers differently (user-service answers the caller whole and every other user's public view). So the viewer of
 * a lookup is the caller as the backend sees it, a user or a service by id, or anyone anonymous; a resource that
 * every caller sees alike ({@link PublicApi#shared()}: product-service answers a {@code ProductResponse} to anyone)
 * has one viewer for all. Answers are kept (the populate cache) and lookups in flight are shared (populate's
 * {@code SharedLookups}) per viewer, so that one caller's view of a document never reaches another.
 */
public final class Viewers {

    /** The one viewer of a resource every caller sees alike. */
    public static final String EVERYONE = "everyone";

    /** The viewer of a caller without a token. */
    public static final String ANONYMOUS = "anonymous";

    private final Set<String> shared;

    /**
     * @param shared the resources every caller sees alike
     */
    public Viewers(Set<String> shared) {
        this.shared = Set.copyOf(shared);
    }

    /** The viewer of a lookup of {@code resource} made for the current request's caller. */
    public Mono<String> of(String resource) {
        if (shared.contains(resource)) {
            return Mono.just(EVERYONE);
        }
        return Caller.current()
                .map(caller -> caller.kind().name().toLowerCase(Locale.ROOT) + ":" + caller.id())
                .defaultIfEmpty(ANONYMOUS);
    }
}
