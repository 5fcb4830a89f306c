package com.example.shop.gateway.routing;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import com.example.shop.gateway.populate.PopulateEngine;
import com.example.shop.gateway.populate.PopulateException;
import com.example.shop.gateway.populate.PopulatePlan;
import com.example.shop.gateway.populate.PopulateResult;
import com.example.shop.gateway.populate.PopulateSpecParser;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.populate.Shape;
import com.example.shop.gateway.web.Buffers;
import com.example.shop.gateway.web.GatewayJson;
import com.example.shop.gateway.web.Problems;

/**
 * The HTTP edge of populate. A request without {@code populate} passes untouched. With it: the request
 * must be a GET of a populatable endpoint and the paths must plan, else 400 before any backend is
 * called; the parameter is taken off the forwarded request; a 2xx JSON answer is read whole, populated
 * by the {@link PopulateEngine}, and sent on with {@code Populate-Unresolved} naming the paths left as ids.
 * Any other answer (a 404 problem, say) passes through as it was. The lookups run in the request's security
 * context, so they carry the caller's own token and the backends show what the caller may see
 * ({@code BackendClient}). One deadline, the populate budget from the request's arrival, covers reading the
 * answer (504 naming the backend when it is not read by then) and the lookups.
 */
public final class PopulateFilter implements GatewayFilter, Ordered {

    public static final String PARAMETER = "populate";

    public static final String UNRESOLVED_HEADER = "Populate-Unresolved";

    private static final Logger log = LoggerFactory.getLogger(PopulateFilter.class);

    private final PopulatableEndpoints endpoints;

    private final Planner planner;

    private final PopulateEngine engine;

    private final GatewayJson json;

    private final int maxBodySize;

    private final PopulateMetrics metrics;

    public PopulateFilter(PopulatableEndpoints endpoints, Planner planner, PopulateEngine engine, GatewayJson json,
            int maxBodySize, PopulateMetrics metrics) {
        this.endpoints = endpoints;
        this.planner = planner;
        this.engine = engine;
        this.json = json;
        this.maxBodySize = maxBodySize;
        this.metrics = metrics;
    }

    /** Before the response writer, so that it writes through the populating response. */
    @Override
    public int getOrder() {
        return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        List<String> parameters = request.getQueryParams().get(PARAMETER);
        if (parameters == null) {
            return chain.filter(exchange);
        }
        PopulatableEndpoints.Endpoint endpoint;
        PopulatePlan plan;
        try {
            if (request.getMethod() != HttpMethod.GET) {
                throw new PopulateException("populate: only GET responses can be populated, not " + request.getMethod());
            }
            endpoint = endpoints.match(request.getPath().pathWithinApplication())
                    .orElseThrow(() -> new PopulateException("populate: nothing can be populated at "
                            + request.getPath().value() + "; populatable: " + endpoints.describe()));
            plan = planner.plan(endpoint.resource(), PopulateSpecParser.parse(parameters));
        }
        catch (PopulateException rejected) {
            return Mono.error(Problems.badPopulate(rejected));
        }
        long deadline = engine.deadlineFromNow();
        URI forwarded = UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam(PARAMETER).build(true).toUri();
        ServerHttpRequest stripped = request.mutate()
                .uri(forwarded)
                .headers(headers -> headers.remove(HttpHeaders.ACCEPT_ENCODING))
                .build();
        return chain.filter(exchange.mutate()
                .request(stripped)
                .response(new PopulatingResponse(exchange.getResponse(), endpoint.shape(), plan, backend(exchange),
                        deadline))
                .build());
    }

    private final class PopulatingResponse extends ServerHttpResponseDecorator {

        private final Shape shape;

        private final PopulatePlan plan;

        private final String backend;

        private final long deadline;

        /**
         * @param backend  the backend that answers, named in a 504
         * @param deadline the request's populate deadline, taken when it arrived
         */
        PopulatingResponse(ServerHttpResponse delegate, Shape shape, PopulatePlan plan, String backend, long deadline) {
            super(delegate);
            this.shape = shape;
            this.plan = plan;
            this.backend = backend;
            this.deadline = deadline;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (!populatable()) {
                return super.writeWith(body);
            }
            return DataBufferUtils.join(body, maxBodySize)
                    .timeout(engine.timeLeft(deadline))
                    .onErrorMap(TimeoutException.class, late -> Problems.backendUnavailable(backend, late))
                    .map(Buffers::bytes)
                    .flatMap(this::populate)
                    .flatMap(populated -> super.writeWith(Mono.fromSupplier(() -> bufferFactory().wrap(populated))));
        }

        private boolean populatable() {
            MediaType type = getHeaders().getContentType();
            return getStatusCode() != null && getStatusCode().is2xxSuccessful() && type != null
                    && MediaType.APPLICATION_JSON.isCompatibleWith(type);
        }

        private Mono<byte[]> populate(byte[] original) {
            JsonNode body;
            try {
                body = json.read(original);
            }
            catch (JacksonException unreadable) {
                log.warn("Response to populate is not JSON ({}); passed on as it is", unreadable.getOriginalMessage());
                return Mono.just(original);
            }
            return engine.populate(body, shape, plan, deadline).map(this::written);
        }

        private byte[] written(PopulateResult result) {
            byte[] populated = json.write(result.body());
            HttpHeaders headers = getHeaders();
            headers.remove(HttpHeaders.TRANSFER_ENCODING);
            headers.setContentLength(populated.length);
            if (!result.unresolved().isEmpty()) {
                headers.set(UNRESOLVED_HEADER, String.join(", ", result.unresolved()));
                metrics.unresolved(plan.resource(), result.unresolved());
            }
            return populated;
        }
    }

    /** The backend the request is routed to: the host of its route's {@code lb://<backend>}. */
    private static String backend(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route != null ? route.getUri().getHost() : "the backend";
    }

}
