package com.example.shop.gateway.web;

import java.net.URI;

import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Every error the gateway answers itself is {@code application/problem+json}: its own problems
 * ({@link Problems}), the framework's ({@code 404} for an unrouted path, {@code 405}, ...), and a
 * catch-all 500 that gives nothing away. Ahead of Boot's handler (order -1). Errors the services answer
 * are not errors here: they pass through as they were.
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final GatewayJson json;

    public ProblemExceptionHandler(GatewayJson json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        Throwable error = namingTheBackend(exchange, failure);
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        HttpStatusCode status;
        ProblemDetail problem;
        String path = exchange.getRequest().getPath().value();
        if (error instanceof ErrorResponse known) {
            status = known.getStatusCode();
            problem = known.getBody();
            if (status.is5xxServerError()) {
                log.warn("{} {} -> {}: {}", exchange.getRequest().getMethod(), path, status.value(), problem.getDetail());
            }
        }
        else {
            log.error("{} {} failed", exchange.getRequest().getMethod(), path, error);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            problem = ProblemDetail.forStatusAndDetail(status, "An unexpected error occurred; it has been logged.");
        }
        if (problem.getInstance() == null) {
            try {
                problem.setInstance(URI.create(exchange.getRequest().getPath().pathWithinApplication().value()));
            }
            catch (IllegalArgumentException notAUri) {
                // a path the URI grammar refuses: the problem goes without an instance
            }
        }
        byte[] body = json.write(problem);
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        if (error instanceof ErrorResponse known) {
            headers.addAll(known.getHeaders());
        }
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(body.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    /**
     * A routed request whose backend ran out of the HTTP client's response timeout (before its headers:
     * Spring Cloud Gateway's 504; while the body was awaited: Netty's read timeout) is the same 504 naming
     * the backend as one that ran out of the route time limit.
     */
    private static Throwable namingTheBackend(ServerWebExchange exchange, Throwable error) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        boolean timedOut = error instanceof ReadTimeoutException
                || error instanceof ResponseStatusException status && status.getCause() instanceof TimeoutException;
        if (route == null || !timedOut) {
            return error;
        }
        return Problems.backendUnavailable(route.getUri().getHost(),
                new java.util.concurrent.TimeoutException(error.getMessage()));
    }
}
