package com.example.shop.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import com.example.shop.web.ApiException;
import com.example.shop.web.ProblemResponses;
import com.example.shop.web.TracedLogging;

/**
 * Every error the gateway answers itself is {@code application/problem+json}: its own problems
 * ({@link Problems}), the framework's ({@code 404} for an unrouted path, {@code 405}, ...), and a
 * catch-all 500 that gives nothing away, its error logged with its stack trace (once a minute for the same
 * error: shop-operations' {@code RepeatedErrorsFilter}). Ahead of Boot's handler (order -1). Errors the services
 * answer are not errors here: they pass through as they were.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final JsonMapper json;

    public ProblemExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        Throwable error = namingTheBackend(exchange, failure);
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        return Mono.deferContextual(context -> {
            if (ProblemResponses.clientWentAway(exchange, error, context)) {
                return Mono.empty();
            }
            ErrorResponse problem;
            if (error instanceof ErrorResponse known) {
                problem = known;
                // a 503 with Retry-After is the gateway shedding load as designed (counted in its metrics), not a failure
                if (known.getStatusCode().is5xxServerError()
                        && !known.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)) {
                    TracedLogging.in(context, () -> log.warn("{} {} -> {}: {}", exchange.getRequest().getMethod(),
                            exchange.getRequest().getPath(), known.getStatusCode().value(), known.getBody().getDetail()));
                }
            }
            else {
                TracedLogging.in(context, () -> log.error("{} {} failed", exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(), error));
                problem = new ApiException(HttpStatus.INTERNAL_SERVER_ERROR,
                        "An unexpected error occurred; it has been logged.");
            }
            return ProblemResponses.write(exchange, problem, json);
        });
    }

    /**
     * The one place where a routed request that ran out of time becomes a 504 naming its backend (the host of
     * its route's {@code lb://<backend>}), whichever bound it ran into: the route's time limit before the
     * backend's headers ({@code BackendGuardFilter}), the HTTP client's read timeout while its body was awaited
     * ({@code ResponseTimeoutConfiguration}), both {@code shop.backends.route-timeout}, or the populate budget
     * while a populated request's answer was read ({@code PopulateGatewayFilterFactory}).
     */
    private static Throwable namingTheBackend(ServerWebExchange exchange, Throwable error) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null || !BackendFailures.isTimeout(error)) {
            return error;
        }
        return Problems.backendTimedOut(route.getUri().getHost(), error);
    }
}
