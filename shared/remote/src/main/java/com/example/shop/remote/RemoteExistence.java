package com.example.shop.remote;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Whether another service holds a referenced document, from its answer to {@code GET /<resources>/{id}}:
 * 2xx means it exists, 404 that it does not; any other answer is an error, so that the caller's
 * {@link ResilientCalls} retry it, count it against the service and report a 503, never a "missing".
 */
public final class RemoteExistence {

    private RemoteExistence() {
    }

    /**
     * From {@code get}, a GET of the document that fails on any answer but a 2xx (an {@code @HttpExchange}
     * method's, or WebClient's {@code retrieve()}): true when it completes, false when it fails with a 404, any
     * other failure as it came. Guard the result, not {@code get}, so that a 404 is an answer to the guards too.
     */
    public static Mono<Boolean> of(Mono<?> get) {
        return get.thenReturn(true)
                .onErrorResume(WebClientResponseException.NotFound.class, notFound -> Mono.just(false));
    }

    /** Completes when {@code exists} says true; fails with {@code missing}'s error when it says false. */
    public static Mono<Void> require(Mono<Boolean> exists, Supplier<? extends Throwable> missing) {
        return exists.flatMap(found -> found ? Mono.<Void>empty() : Mono.error(missing));
    }
}
