package com.example.shop.gateway.routing;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.rewrite.ModifyResponseBodyGatewayFilterFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import com.example.shop.web.Paging;
import com.example.shop.web.TracedLogging;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.AnswerBudget;
import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.populate.PopulateEngine;
import com.example.shop.gateway.populate.PopulateException;
import com.example.shop.gateway.populate.PopulateLimitException;
import com.example.shop.gateway.populate.PopulatePlan;
import com.example.shop.gateway.populate.PopulateProperties;
import com.example.shop.gateway.populate.PopulateResult;
import com.example.shop.gateway.populate.PopulateSpecParser;
import com.example.shop.gateway.populate.Planner;
import com.example.shop.gateway.populate.Shape;
import com.example.shop.gateway.web.AnswerMemory;
import com.example.shop.gateway.web.Buffers;
import com.example.shop.gateway.web.ConditionalGetFilter;
import com.example.shop.gateway.GatewayFilterOrder;
import com.example.shop.gateway.web.GatewayJson;
import com.example.shop.gateway.web.Problems;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * The HTTP edge of populate: a route's filter, configured per route with the populatable endpoints it serves
 * ({@link Config}, from the public API's declaration, {@link PublicApi#populatable(String)}), the way Spring Cloud
 * Gateway's own response-modifying filters are ({@link ModifyResponseBodyGatewayFilterFactory}); a route
 * with none has no populate filter ({@code RoutesConfiguration}). A request without {@code populate} passes
 * untouched. With it: the request must be one of the route's populatable endpoints (a GET, or a write declared to
 * answer the document it wrote) and the paths must plan, else 400 before any backend is called (so a write refused
 * writes nothing); the parameter is taken off the forwarded request; a 2xx
 * JSON answer is read whole, populated by the {@link PopulateEngine}, and sent on with
 * {@code Populate-Unresolved} naming the paths left as ids (and the exchange marked as a partial answer,
 * {@link ConditionalGetFilter#PARTIAL_ATTRIBUTE}, which is not tagged). Any other answer (a 404 problem, say)
 * passes through as it was. The lookups run in the request's security context, so they carry the caller's own
 * token and the backends show what the caller may see ({@code BackendClient}).
 * <p>
 * A write is forwarded once, as any write is (the route retries GETs only): a failed write's answer passes
 * through; a successful one is populated as a GET's is, but nothing populate meets turns it into an error, since
 * the write is done. What stops populate (a lookup's failure, the time, the answer's budget) leaves ids as ids,
 * named in {@code Populate-Unresolved}, under the write's own status ({@link PopulatedWrite}).
 * <p>
 * Its time: one deadline, the populate budget ({@code shop.populate.budget}) from the request's arrival, covers
 * reading the answer whole and the lookups. It lies within the route's time ({@code shop.backends.route-timeout},
 * which bounds the backend's status line and headers, and each wait for the next part of its body): when the
 * budget runs out before the answer is read, the timeout goes on as it is, and the one place that turns a
 * routed request's timeout into a 504 naming the backend does so ({@code ProblemExceptionHandler}); when it
 * runs out during the lookups, the answer goes out with what has arrived.
 * <p>
 * Each answer has a budget ({@link AnswerBudget}): at most {@code shop.populate.max-documents} documents populated
 * into it, and {@code shop.populate.max-answer-memory} bytes counted for it, each byte also reserved in the memory of
 * all answers in flight ({@link AnswerMemory}) until the answer has gone out, failed or been cancelled. A request
 * whose plan can bring more documents than that (its page's {@code size} or the {@code ids} it asks for, one for a
 * single document, times each list's {@code limit}, down the paths) is a 400 naming {@code populate} before any
 * backend is called. The rest is counted as it comes: the backend's answer as it is read, each lookup's answer as
 * it arrives ({@code BackendClient}), each document spliced in. Over the answer's budget: the same 400, nothing of
 * the answer sent; the memory of all answers taken: a 503 with {@code Retry-After}. The populated answer is written
 * and sent in parts ({@link GatewayJson#writeChunks}), held once.
 */
public class PopulateGatewayFilterFactory extends AbstractGatewayFilterFactory<PopulateGatewayFilterFactory.Config> {

    public static final String PARAMETER = "populate";

    public static final String UNRESOLVED_HEADER = "Populate-Unresolved";

    /** The page size the services answer with when a request gives none (their controllers' default). */
    static final int DEFAULT_PAGE_SIZE = 20;

    private static final Logger log = LoggerFactory.getLogger(PopulateGatewayFilterFactory.class);

    private final Planner planner;

    private final PopulateEngine engine;

    private final GatewayJson json;

    private final int maxBodySize;

    private final long maxDocuments;

    private final long maxAnswerMemory;

    private final AnswerMemory memory;

    private final PopulateMetrics metrics;

    public PopulateGatewayFilterFactory(Planner planner, PopulateEngine engine, GatewayJson json,
            PopulateProperties properties, AnswerMemory memory, PopulateMetrics metrics) {
        super(Config.class);
        this.planner = planner;
        this.engine = engine;
        this.json = json;
        this.maxBodySize = Math.toIntExact(properties.maxBodySize().toBytes());
        this.maxDocuments = properties.maxDocuments();
        this.maxAnswerMemory = properties.maxAnswerMemory().toBytes();
        this.memory = memory;
        this.metrics = metrics;
    }

    @Override
    public GatewayFilter apply(Config config) {
        return new PopulateGatewayFilter(new PopulatableEndpoints(config.getEndpoints()));
    }

    /** What a route populates: its populatable endpoints, as the public API declares them. */
    public static class Config {

        private List<PublicApi.Populatable> endpoints = List.of();

        public List<PublicApi.Populatable> getEndpoints() {
            return endpoints;
        }

        public Config setEndpoints(List<PublicApi.Populatable> endpoints) {
            this.endpoints = List.copyOf(endpoints);
            return this;
        }
    }

    /** Populate on one route: its endpoints. */
    public class PopulateGatewayFilter implements GatewayFilter, Ordered {

        private final PopulatableEndpoints endpoints;

        PopulateGatewayFilter(PopulatableEndpoints endpoints) {
            this.endpoints = endpoints;
        }

        /** Before the response writer, so that it writes through the populating response. */
        @Override
        public int getOrder() {
            return GatewayFilterOrder.POPULATE.order();
        }

        @Override
        public String toString() {
            return filterToStringCreator(PopulateGatewayFilterFactory.this).append("endpoints", endpoints.describe())
                    .toString();
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
                endpoint = endpoints.match(request.getMethod(), request.getPath().pathWithinApplication())
                        .orElseThrow(() -> new PopulateException("populate: nothing can be populated at "
                                + request.getMethod() + " " + request.getPath().value() + "; populatable: "
                                + endpoints.describe()));
                plan = planner.plan(endpoint.resource(), PopulateSpecParser.parse(parameters));
            }
            catch (PopulateException rejected) {
                return Mono.error(Problems.badPopulate(rejected));
            }
            try {
                foresee(plan, endpoint.shape(), request.getQueryParams());
            }
            catch (PopulateLimitException over) {
                metrics.overBudget(endpoint.resource(), over);
                return Mono.error(Problems.badPopulate(over));
            }
            URI forwarded = UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam(PARAMETER).build(true).toUri();
            ServerHttpRequest stripped = request.mutate()
                    .uri(forwarded)
                    .headers(headers -> headers.remove(HttpHeaders.ACCEPT_ENCODING))
                    .build();
            AnswerMemory.Reservation reservation = memory.open(AnswerMemory.Reader.POPULATE);
            AnswerBudget budget = new AnswerBudget(maxDocuments, maxAnswerMemory, reservation::tryAdd);
            // what this answer holds is reserved here: the conditional GET does not reserve it again
            exchange.getAttributes().put(AnswerMemory.RESERVED_ATTRIBUTE, Boolean.TRUE);
            PopulatingResponse response = endpoint.write()
                    ? new PopulatedWrite(exchange, plan, budget)
                    // a GET's time starts now; a write's when its answer arrives (the route's time bounds the write)
                    : new PopulatedRead(exchange, endpoint.shape(), plan, engine.deadlineFromNow(), budget);
            return chain.filter(exchange.mutate().request(stripped).response(response).build())
                    .doFinally(signal -> reservation.release());
        }
    }

    /**
     * Refuses, before any backend call, a request whose plan can bring more documents than an answer may hold:
     * a page's worth (its {@code size}, or the {@code ids} asked for) or one document, through every path.
     */
    private void foresee(PopulatePlan plan, Shape shape, MultiValueMap<String, String> query) {
        long roots = roots(shape, query);
        long worstCase = plan.documents(roots);
        if (worstCase > maxDocuments) {
            throw PopulateLimitException.foreseen(maxDocuments, worstCase, hint(plan, shape, roots));
        }
    }

    /**
     * The most documents a GET of this shape can answer with: one, or as many as the ids it names (distinct,
     * as the services count them), or its page's {@code size} (the services' default, 20, when not given; their
     * largest, {@value Paging#MAX_SIZE}, when it is not a number they would take, which they refuse anyway).
     */
    static long roots(Shape shape, MultiValueMap<String, String> query) {
        if (shape == Shape.ITEM) {
            return 1;
        }
        List<String> ids = query.get("ids");
        if (ids != null) {
            return ids.stream().flatMap(value -> java.util.Arrays.stream(value.split(",")))
                    .map(String::strip).filter(id -> !id.isEmpty()).distinct().count();
        }
        String size = query.getFirst("size");
        if (size == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (!size.matches("[0-9]{1,9}")) {
            return Paging.MAX_SIZE;
        }
        return Math.max(1, Math.min(Paging.MAX_SIZE, Integer.parseInt(size)));
    }

    /** What the client can change to stay within the documents of an answer. */
    private String hint(PopulatePlan plan, Shape shape, long roots) {
        List<String> ways = new java.util.ArrayList<>();
        long perRoot = plan.documents(1);
        if (shape == Shape.COLLECTION && roots > 1 && perRoot <= maxDocuments) {
            ways.add("a smaller page (size=" + maxDocuments / perRoot + " or less)");
        }
        List<String> lists = plan.listPaths();
        if (!lists.isEmpty()) {
            ways.add("a smaller [limit=...] on " + String.join(", ", lists) + " (per parent document, 100 when not given)");
        }
        ways.add("fewer paths");
        return "ask for " + String.join(", or ", ways);
    }

    /**
     * The response a populated request's answer is written through: a successful JSON answer is read whole,
     * populated and sent on; any other passes through as it was.
     */
    private abstract class PopulatingResponse extends ServerHttpResponseDecorator {

        final Map<String, Object> attributes;

        final PopulatePlan plan;

        final AnswerBudget budget;

        PopulatingResponse(ServerWebExchange exchange, PopulatePlan plan, AnswerBudget budget) {
            super(exchange.getResponse());
            this.attributes = exchange.getAttributes();
            this.plan = plan;
            this.budget = budget;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (!populatable()) {
                return super.writeWith(body);
            }
            return populated(body).flatMap(parts -> super.writeWith(Flux.fromIterable(parts).map(bufferFactory()::wrap)));
        }

        /** The answer populated, in the parts it is sent in. */
        abstract Mono<List<byte[]>> populated(Publisher<? extends DataBuffer> body);

        private boolean populatable() {
            MediaType type = getHeaders().getContentType();
            return getStatusCode() != null && getStatusCode().is2xxSuccessful() && type != null
                    && MediaType.APPLICATION_JSON.isCompatibleWith(type);
        }

        /** {@code original} populated by {@code deadline}; not JSON: as it is. */
        Mono<List<byte[]>> populate(byte[] original, Shape shape, long deadline) {
            JsonNode body;
            try {
                body = json.read(original);
            }
            catch (JacksonException unreadable) {
                return Mono.deferContextual(context -> {
                    TracedLogging.in(context, () -> log.warn("Response to populate is not JSON ({}); passed on as it is",
                            unreadable.getOriginalMessage()));
                    return Mono.just(List.of(original));
                });
            }
            return engine.populate(body, shape, plan, deadline, budget).map(this::written);
        }

        private List<byte[]> written(PopulateResult result) {
            List<byte[]> populated = json.writeChunks(result.body());
            if (log.isDebugEnabled()) {
                log.debug("Populated {}: {} bytes written; {} documents and {} bytes counted", plan.paths(),
                        populated.stream().mapToLong(part -> part.length).sum(), budget.documentsCounted(),
                        budget.bytesCounted());
            }
            return sent(populated, result.unresolved());
        }

        /** {@code parts} as the answer, its length set and {@code unresolved} named. */
        List<byte[]> sent(List<byte[]> parts, List<String> unresolved) {
            HttpHeaders headers = getHeaders();
            headers.remove(HttpHeaders.TRANSFER_ENCODING);
            headers.setContentLength(parts.stream().mapToLong(part -> part.length).sum());
            if (!unresolved.isEmpty()) {
                headers.set(UNRESOLVED_HEADER, String.join(", ", unresolved));
                attributes.put(ConditionalGetFilter.PARTIAL_ATTRIBUTE, Boolean.TRUE);
                metrics.unresolved(plan.resource(), unresolved);
            }
            return parts;
        }
    }

    /**
     * A GET's answer: read within the request's populate deadline and counted as it is read; over the budget, a
     * 400 (or a 503 when the memory of all answers is taken) with nothing of the answer sent.
     */
    private final class PopulatedRead extends PopulatingResponse {

        private final Shape shape;

        private final long deadline;

        /**
         * @param deadline the request's populate deadline, taken when it arrived
         * @param budget   what the answer may take
         */
        PopulatedRead(ServerWebExchange exchange, Shape shape, PopulatePlan plan, long deadline, AnswerBudget budget) {
            super(exchange, plan, budget);
            this.shape = shape;
            this.deadline = deadline;
        }

        @Override
        Mono<List<byte[]>> populated(Publisher<? extends DataBuffer> body) {
            return DataBufferUtils.join(budget.counted(body), maxBodySize)
                    // not read by the deadline: a TimeoutException, which becomes the 504 of a routed request
                    .timeout(engine.timeLeft(deadline))
                    .map(Buffers::bytes)
                    .flatMap(original -> populate(original, shape, deadline))
                    .onErrorMap(error -> AnswerBudget.refusal(error) != null, this::refused);
        }

        /** The budget's refusal as the client gets it: a 400 naming populate, or a 503 with Retry-After. */
        private Throwable refused(Throwable error) {
            RuntimeException refusal = AnswerBudget.refusal(error);
            if (refusal instanceof PopulateLimitException over) {
                metrics.overBudget(plan.resource(), over);
                return Problems.badPopulate(over);
            }
            return Problems.answerMemoryFull(memory);
        }
    }

    /**
     * A successful write's answer, one document: the write is done, so whatever populate does, the answer is the
     * write's own status and document. Its populate budget starts when the answer arrives (the write's own time is
     * the route's), its lookups reach the backends (a cache may not know of the write yet,
     * {@link DocumentFetcher#FRESH_LOOKUPS}), and what stops populate (the answer's budget, the memory of all
     * answers, anything else) sends the document as the backend wrote it, every path named in
     * {@code Populate-Unresolved}, rather than an error that would tell the client the write failed.
     */
    private final class PopulatedWrite extends PopulatingResponse {

        PopulatedWrite(ServerWebExchange exchange, PopulatePlan plan, AnswerBudget budget) {
            super(exchange, plan, budget);
        }

        @Override
        Mono<List<byte[]>> populated(Publisher<? extends DataBuffer> body) {
            long deadline = engine.deadlineFromNow();
            return DataBufferUtils.join(body, maxBodySize)
                    .map(Buffers::bytes)
                    .flatMap(original -> Mono.defer(() -> {
                                budget.bytes(original.length);
                                return populate(original, Shape.ITEM, deadline);
                            })
                            .contextWrite(context -> context.put(DocumentFetcher.FRESH_LOOKUPS, true))
                            .onErrorResume(error -> Mono.deferContextual(context -> Mono.just(unpopulated(original, error,
                                    context)))));
        }

        private List<byte[]> unpopulated(byte[] original, Throwable error, ContextView context) {
            RuntimeException refusal = AnswerBudget.refusal(error);
            if (refusal instanceof PopulateLimitException over) {
                metrics.overBudget(plan.resource(), over);
                TracedLogging.in(context, () -> log.info("Write's answer sent unpopulated: {}", over.getMessage()));
            }
            else if (refusal != null) {
                TracedLogging.in(context,
                        () -> log.info("Write's answer sent unpopulated: the memory of all answers is taken"));
            }
            else {
                TracedLogging.in(context, () -> log.warn("Write's answer sent unpopulated: populating it failed", error));
            }
            return sent(List.of(original), plan.paths());
        }
    }

}
