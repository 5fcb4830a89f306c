package com.example.shop.gateway.web;

import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.common.web.BodySizeLimitFilter;
import com.example.shop.common.web.WebProperties;

/**
 * The services' body limit ({@code shop.web.max-body-size}, 64 KB), enforced at the door, before any
 * backend is involved: a request over it never reaches a backend's guards or a backend (which would turn
 * it away by closing the connection mid-body, seen here as an unreachable backend, a 503 that counts as
 * its failure). A declared {@code Content-Length} over the limit gets common's {@link BodySizeLimitFilter}
 * 413 before a byte of it is read. A streamed body (chunked, no length) is read up to the limit before
 * routing: one byte more and the answer is the same 413; within it, the backend gets the body whole.
 * Holding a body of at most 64 KB is what the services' JSON readers do with it anyway.
 */
@Component
public class BodyLimitFilter implements WebFilter, Ordered {

    /** After the sign-in limit (which refuses without reading anything), before the security filters. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private final int limit;

    private final BodySizeLimitFilter declared;

    public BodyLimitFilter(WebProperties properties, JsonMapper jsonMapper) {
        this.limit = Math.toIntExact(properties.maxBodySize().toBytes());
        this.declared = new BodySizeLimitFilter(limit, jsonMapper);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        if (headers.getContentLength() >= 0 || !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            return declared.filter(exchange, chain);
        }
        return DataBufferUtils.join(exchange.getRequest().getBody(), limit)
                .map(Buffers::bytes)
                .map(body -> (Mono<Void>) chain.filter(exchange.mutate().request(withBody(exchange.getRequest(), body)).build()))
                .onErrorResume(DataBufferLimitException.class, tooLarge -> Mono.just(refuse(exchange)))
                .defaultIfEmpty(Mono.defer(() -> chain.filter(exchange)))
                .flatMap(Function.identity());
    }

    private Mono<Void> refuse(ServerWebExchange exchange) {
        // the rest of the body is still on its way: this connection is not worth keeping
        exchange.getResponse().getHeaders().setConnection("close");
        return Mono.error(Problems.bodyTooLarge(limit));
    }

    private static ServerHttpRequest withBody(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
