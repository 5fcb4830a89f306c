package com.example.shop.gateway.web;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

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

import com.example.shop.gateway.GatewayFilterOrder;
import com.example.shop.web.BodySizeLimitFilter;
import com.example.shop.web.WebProperties;

/**
 * Request bodies: read whole before a request is routed, and only once the request has been let in, behind
 * the sign-in limit and Spring Security's filters (a request they refuse, a 401 or 403, is answered with
 * nothing of its body read).
 * <ul>
 * <li>A declared {@code Content-Length} over the services' limit ({@code shop.web.max-body-size}, 64 KB) gets
 * shop-web's {@link BodySizeLimitFilter} 413 before a byte of it is read.</li>
 * <li>Otherwise what the body may take, its declared length or the limit for a streamed (chunked) one, is set
 * aside from the {@link BodyBudget} of all requests' bodies first; when that does not fit, the answer is a 503
 * with {@code Retry-After}, nothing read. The body is then read, each part copied to the heap as it comes (the
 * connection's pooled direct buffer given back at once) and counted: one byte over the limit is the same 413.
 * What a streamed body did not use of its share is given back once it is in, the rest when the exchange is
 * done (a routed request may send the bytes again).</li>
 * <li>It has {@code shop.gateway.requests.body-timeout} to arrive whole, counted here from when the request
 * is let in, a moment after its headers came: past it, 408 and the connection closed ({@link RequestDeadlines}
 * closes a connection whose body is late and that this does not answer).</li>
 * </ul>
 * Why whole rather than passed on as it comes: a slow or stalled client then holds a bounded part of the
 * gateway's memory for a bounded time, never a backend's connection, bulkhead permit and its own buffering of
 * the body; and a backend that refuses a body too large for it closes the connection mid-body, which would
 * look like an unreachable backend. Holding at most 64 KB of a body is what the services' JSON readers do
 * with it anyway.
 */
@Component
public class BodyLimitFilter implements WebFilter, Ordered {

    /** A body is in or refused within {@code body-timeout}; most take far less. */
    static final long RETRY_AFTER_SECONDS = 1;

    private final int limit;

    private final BodySizeLimitFilter declared;

    private final BodyBudget budget;

    private final Duration timeout;

    public BodyLimitFilter(WebProperties properties, RequestLimitsProperties limits, BodyBudget budget, JsonMapper jsonMapper) {
        this.limit = Math.toIntExact(properties.maxBodySize().toBytes());
        this.declared = new BodySizeLimitFilter(limit, jsonMapper);
        this.budget = budget;
        this.timeout = limits.bodyTimeout();
        if (budget.capacity() < limit) {
            throw new IllegalStateException("shop.gateway.requests.body-budget (" + budget.capacity()
                    + " bytes) must be at least shop.web.max-body-size (" + limit + " bytes)");
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        long length = headers.getContentLength();
        boolean streamed = length < 0 && headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
        if (length <= 0 && !streamed) {
            return chain.filter(exchange);
        }
        if (length > limit) {
            return declared.filter(exchange, chain);
        }
        return Mono.defer(() -> {
            Share share = new Share(streamed ? limit : (int) length);
            if (!budget.tryTake(share.held.get())) {
                return Mono.error(Problems.bodyBudgetSpent(RETRY_AFTER_SECONDS));
            }
            return read(exchange.getRequest(), streamed ? 0 : (int) length)
                    .doOnNext(body -> share.keep(body.length))
                    .flatMap(body -> chain.filter(exchange.mutate().request(withBody(exchange.getRequest(), body)).build()))
                    .doFinally(signal -> share.keep(0));
        });
    }

    /**
     * The body's bytes, counted as they come: over the limit, the 413; not all in within the time limit, the 408
     * (both closing the connection: the rest of the body may still be on its way).
     */
    private Mono<byte[]> read(ServerHttpRequest request, int expected) {
        return request.getBody()
                .collect(() -> new Gathered(expected, limit), Gathered::add)
                .timeout(timeout, Mono.error(() -> Problems.bodyTimedOut(timeout)))
                .map(Gathered::bytes)
                .onErrorMap(DataBufferLimitException.class,
                        tooLarge -> Problems.bodyTooLarge(limit).withHeader(HttpHeaders.CONNECTION, "close"));
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
        return GatewayFilterOrder.BODY_LIMIT.order();
    }

    /**
     * A body's bytes as they come, each part copied once into one array (of the declared length, or grown for a
     * streamed body) and the connection's pooled buffer given back at once; one byte over the limit fails.
     */
    private static final class Gathered {

        private final int limit;

        private byte[] bytes;

        private int size;

        Gathered(int expected, int limit) {
            this.limit = limit;
            this.bytes = new byte[expected];
        }

        void add(DataBuffer part) {
            try {
                int count = part.readableByteCount();
                if (count > limit - size) {
                    throw new DataBufferLimitException("Exceeded limit on max bytes to buffer : " + limit);
                }
                if (size + count > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(size + count, 2 * bytes.length)));
                }
                part.read(bytes, size, count);
                size += count;
            }
            finally {
                DataBufferUtils.release(part);
            }
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    /** The bytes one request holds of the budget: fewer once its body is in, none once it is done. */
    private final class Share {

        private final AtomicInteger held;

        Share(int bytes) {
            this.held = new AtomicInteger(bytes);
        }

        void keep(int bytes) {
            int before = held.getAndUpdate(now -> Math.min(now, bytes));
            if (before > bytes) {
                budget.giveBack(before - bytes);
            }
        }
    }
}
