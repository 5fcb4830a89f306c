package com.example.shop.web;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Turns away a body whose declared {@code Content-Length} is over the limit before any of it is read
 * (413). A chunked body with no length meets the same limit in the codecs, and the same 413.
 */
public class BodySizeLimitFilter implements WebFilter, Ordered {

    private final long limit;

    private final JsonMapper jsonMapper;

    public BodySizeLimitFilter(long limit, JsonMapper jsonMapper) {
        this.limit = limit;
        this.jsonMapper = jsonMapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length <= limit) {
            return chain.filter(exchange);
        }
        return ProblemResponses.write(exchange, new ApiException(HttpStatus.CONTENT_TOO_LARGE,
                "The request body is " + length + " bytes; the limit is " + limit + " bytes.")
                .withHeader(HttpHeaders.CONNECTION, "close"), jsonMapper);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
