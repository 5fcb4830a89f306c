package com.example.shop.common.remote;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * One remote service as this process calls it: a WebClient built once, addressed by the service's
 * name and load-balanced over its instances, and the resilience4j guards every call goes through.
 */
public final class RemoteService {

    private final String name;

    private final WebClient webClient;

    private final ResilientCalls calls;

    RemoteService(String name, WebClient webClient, ResilientCalls calls) {
        this.name = name;
        this.webClient = webClient;
        this.calls = calls;
    }

    public String name() {
        return name;
    }

    public WebClient webClient() {
        return webClient;
    }

    public ResilientCalls calls() {
        return calls;
    }

    /**
     * Whether the document at {@code path} exists: 2xx yes, 404 no; anything else, a time-out or an
     * open circuit is a 503 naming the service, never a "no". Retried, since a read is idempotent.
     */
    public Mono<Boolean> exists(String path, Object... uriVariables) {
        return calls.idempotent(webClient.get().uri(path, uriVariables).exchangeToMono(RemoteExistence::of));
    }
}
