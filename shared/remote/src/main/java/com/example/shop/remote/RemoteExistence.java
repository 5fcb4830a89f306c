package com.example.shop.remote;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;

import com.example.shop.web.ApiException;

/**
 * Whether another service holds a referenced document, from its answer to {@code GET /<resources>/{id}}:
 * 2xx means it exists, 404 that it does not; any other answer is an error, so that the caller's
 * {@link ResilientCalls} retry it, count it against the service and report a 503, never a "missing".
 */
public final class RemoteExistence {

    private RemoteExistence() {
    }

    /** For {@code exchangeToMono}: true on 2xx, false on 404, the answer as an error otherwise. */
    public static Mono<Boolean> of(ClientResponse response) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.releaseBody().thenReturn(true);
        }
        if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
            return response.releaseBody().thenReturn(false);
        }
        return response.createError();
    }

    /** Completes when {@code exists} says true; a 422 naming {@code field} when it says false. */
    public static Mono<Void> require(Mono<Boolean> exists, String field, String message) {
        return exists.flatMap(found -> found
                ? Mono.<Void>empty()
                : Mono.error(ApiException.unprocessable(field, message)));
    }
}
