package com.example.shop.gateway.routing;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.remote.BackendGuards;
import com.example.shop.gateway.web.BackendFailures;
import com.example.shop.gateway.web.Problems;

/**
 * Guards a proxied request with the backend's bulkhead, route time limit and circuit breaker. Until the
 * backend's status line and headers arrive: a backend that cannot be reached, drops the connection or
 * is refused by the guards gives 503 with {@code Retry-After} (the breaker's wait when it is open), problem+json
 * naming it. One that does not answer in time (the route time limit, {@code shop.backends.route-timeout}) is
 * recorded by the breaker and goes on as the timeout it is: {@code ProblemExceptionHandler} makes every routed
 * request's timeout the same 504. Whatever the backend answers (its 4xx and 5xx included) passes through untouched,
 * and counts as a success. What never reached the backend whole, a refused connection or one the backend
 * closed while the request was being sent (a backend stopping closes its kept-alive connections), and "no
 * instance" are not counted at all (shop-remote's {@code IgnoredFailures}): a restarted backend gets the next
 * request.
 *
 * <p>Every request body is in the gateway's hands whole before it is routed ({@code BodyLimitFilter}), so a
 * failure while it is sent is never the client's: a client can only hang up, which cancels the call, and the
 * breaker does not record a cancelled call.
 */
final class BackendGuardFilter implements GatewayFilter {

    private final BackendGuards guards;

    BackendGuardFilter(BackendGuards guards) {
        this.guards = guards;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return guards.route(chain.filter(exchange))
                .onErrorMap(error -> BackendFailures.isUnavailable(error) && !BackendFailures.isTimeout(error)
                        && !exchange.getResponse().isCommitted(),
                        error -> Problems.backendUnavailable(guards.backend(), error, guards.retryAfterSeconds(error)));
    }
}
