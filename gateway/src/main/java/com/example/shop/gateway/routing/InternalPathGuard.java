package com.example.shop.gateway.routing;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.GatewayFilterOrder;
import com.example.shop.gateway.web.Problems;

/**
 * The last word before a request leaves for a backend: if the URL it is about to be sent to would reach
 * {@code /internal/**} however the backend reads it ({@code /api/users/..%2F..%2Finternal/...}), the
 * answer is a 404, as for any path the gateway does not route. Checked on the final URL, so no route
 * or rewrite added later can open the way.
 */
@Component
public class InternalPathGuard implements GlobalFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        if (target == null || InternalPaths.isInternal(target.getRawPath())) {
            return Mono.error(Problems.notFound());
        }
        return chain.filter(exchange);
    }

    /** Just after the route's URL is set. */
    @Override
    public int getOrder() {
        return GatewayFilterOrder.INTERNAL_PATH_GUARD.order();
    }
}
