package com.example.shop.web;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Problems answered where no controller is involved (web filters, the security filters' entry points,
 * the gateway's exception handler): the same {@code application/problem+json} body, status and headers
 * Spring renders for an {@link ErrorResponse} from a controller, with the request path as {@code instance}.
 * And the one place a client that went away is noticed: one INFO line, no stack trace, nothing written
 * (left to the server, Spring would log it as an ERROR with its stack trace).
 */
public final class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private ProblemResponses() {
    }

    /** Writes {@code problem} as the response, unless the response is already on its way. */
    public static Mono<Void> write(ServerWebExchange exchange, ErrorResponse problem, JsonMapper json) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        ProblemDetail body = problem.getBody();
        if (body.getInstance() == null) {
            body.setInstance(instance(exchange));
        }
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatusCode(problem.getStatusCode());
        HttpHeaders headers = response.getHeaders();
        headers.addAll(problem.getHeaders());
        headers.remove(HttpHeaders.CONTENT_ENCODING);
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setContentLength(bytes.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    /** The request's path, or none for a path the URI grammar refuses. */
    private static URI instance(ServerWebExchange exchange) {
        try {
            return URI.create(exchange.getRequest().getPath().value());
        }
        catch (IllegalArgumentException notAUri) {
            return null;
        }
    }

    /**
     * Whether {@code failure} is the client hanging up (connection closed or reset mid-request): then it
     * is logged here, once, at INFO without a stack trace, and there is no one left to answer: the caller
     * ends the exchange without a body. Its status, for the access log and the metrics, is 400: the
     * request did not arrive whole. {@code context}: the request's, for its trace ids in the line.
     */
    public static boolean clientWentAway(ServerWebExchange exchange, Throwable failure, ContextView context) {
        if (!DisconnectedClientHelper.isClientDisconnectedException(failure)) {
            return false;
        }
        TracedLogging.in(context, () -> log.info("{} {}: the client closed the connection before the answer ({})",
                exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(), failure.toString()));
        exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
        return true;
    }
}
