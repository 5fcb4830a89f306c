package com.example.shop.gateway.cache;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.cache.CachedResources.Mark;
import com.example.shop.gateway.populate.SharedLookups;
import com.example.shop.gateway.GatewayFilterOrder;

/**
 * Read-your-writes through the gateway: a routed write makes what it touches stale in the
 * {@link PopulateCache}, and every lookup then in flight unavailable to later lookups ({@link SharedLookups}: any
 * write, a creation included, which may add to a list), when the backend's answer arrives, whatever its status
 * (before the response goes out, so the client's next request finds it done), or when the exchange ends without one
 * (an error, a cancel: the write's fate is unknown). Counted in {@code gateway.populate.cache.invalidations{resource}}.
 * It runs first, on the path as the client sent it.
 */
public final class WriteInvalidationFilter implements GlobalFilter, Ordered {

    private final PopulateCache cache;

    private final SharedLookups shared;

    private final MeterRegistry registry;

    public WriteInvalidationFilter(PopulateCache cache, SharedLookups shared, MeterRegistry registry) {
        this.cache = cache;
        this.shared = shared;
        this.registry = registry;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        List<Mark> marks = cache.enabled()
                ? cache.touchedBy(request.getMethod(), request.getPath().pathWithinApplication().value())
                : List.of();
        boolean forget = shared.enabled() && !PublicApi.isRead(request.getMethod());
        if (marks.isEmpty() && !forget) {
            return chain.filter(exchange);
        }
        AtomicBoolean done = new AtomicBoolean();
        Runnable invalidate = () -> {
            if (done.compareAndSet(false, true)) {
                if (forget) {
                    shared.forgetInFlight();
                }
                if (!marks.isEmpty()) {
                    cache.invalidate(marks);
                }
                marks.forEach(mark -> Counter.builder("gateway.populate.cache.invalidations")
                        .description("Cached populate lookups made stale by a write through the gateway")
                        .tag("resource", mark.resource())
                        .register(registry)
                        .increment());
            }
        };
        exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(invalidate));
        return chain.filter(exchange).doFinally(signal -> invalidate.run());
    }

    @Override
    public int getOrder() {
        return GatewayFilterOrder.WRITE_INVALIDATION.order();
    }
}
