package com.example.shop.gateway.semijoin;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriBuilder;
import org.springframework.web.util.UriComponentsBuilder;

import com.example.shop.gateway.GatewayFilterOrder;
import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.remote.BackendClient;
import com.example.shop.gateway.remote.BackendClients;
import com.example.shop.gateway.semijoin.ReferenceFilters.Join;
import com.example.shop.gateway.semijoin.ReferenceFilters.Plan;
import com.example.shop.gateway.web.GatewayJson;
import com.example.shop.gateway.web.Problems;
import com.example.shop.web.ApiException;
import com.example.shop.web.FieldProblem;
import com.example.shop.web.PageResponse;
import com.example.shop.web.filter.MatchingIds;

/**
 * Filters through a reference, at the gateway, one hop: {@code GET /api/products?userId.name=eq.Ada} (the products
 * whose owner is named Ada), {@code GET /api/users?products.price=gte.100} (the users with at least one product of
 * 100 or more). A semi-join across services, as {@link ReferenceFilters} plans it from the public API's declaration:
 * <ol>
 * <li>the request is checked whole before anything is called (a 400 naming each wrong parameter);</li>
 * <li>per path filtered through, one call to the target's service for the ids that match every condition on the path
 * ({@code GET /internal/users/ids?name=eq.Ada&of=id&limit=1001}), made on the caller's behalf as a populate lookup is
 * ({@link BackendClient}: the caller's own token, or what the backend takes from an anonymous caller), so that a
 * filter finds only what the caller may see; one more id than {@code shop.api.reference-filters.max-ids} is asked
 * for, and getting it is a 422 naming the filter and the bound, before the page's service is asked;</li>
 * <li>the page's request goes on as routed, once, with the ids as a filter of its own
 * ({@code userId=in.<ids>}; the ids of several paths on one key, those in all of them), so that its pages are full
 * and its {@code totalElements} exact; no id matched: an empty page answered here, and the page's service is not
 * asked.</li>
 * </ol>
 * It runs inside populate ({@link GatewayFilterOrder#REFERENCE_FILTERS}), so that a bad {@code populate} is refused
 * before any call, and an answer it writes itself goes out through populate as a routed one would.
 */
public class ReferenceFilterGlobalFilter implements GlobalFilter, Ordered {

    private final ReferenceFilters filters;

    private final PublicApi api;

    private final BackendClients clients;

    private final GatewayJson json;

    private final int maxIds;

    public ReferenceFilterGlobalFilter(ReferenceFilters filters, PublicApi api, BackendClients clients, GatewayJson json,
            ReferenceFilterProperties properties) {
        this.filters = filters;
        this.api = api;
        this.clients = clients;
        this.json = json;
        this.maxIds = properties.maxIds();
    }

    @Override
    public int getOrder() {
        return GatewayFilterOrder.REFERENCE_FILTERS.order();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.GET) {
            return chain.filter(exchange);
        }
        Optional<String> resource = filters.pageAt(request.getPath().pathWithinApplication().value());
        if (resource.isEmpty()) {
            return chain.filter(exchange);
        }
        Optional<Plan> plan;
        try {
            plan = filters.plan(resource.get(), request.getQueryParams());
        }
        catch (ApiException wrong) {
            return Mono.error(wrong);
        }
        if (plan.isEmpty()) {
            return chain.filter(exchange);
        }
        return Flux.fromIterable(plan.get().joins())
                .flatMapSequential(join -> matched(join).map(ids -> Map.entry(join.key(), ids)))
                .collectList()
                .flatMap(matched -> {
                    Map<String, Set<String>> byKey = intersected(matched);
                    if (byKey.values().stream().anyMatch(Set::isEmpty)) {
                        return emptyPage(exchange.getResponse(), plan.get());
                    }
                    ServerHttpRequest narrowed = request.mutate().uri(narrowed(request.getURI(), plan.get(), byKey)).build();
                    return chain.filter(exchange.mutate().request(narrowed).build());
                });
    }

    /** The target's ids that match the join's conditions; a 422 when there are more than the bound. */
    private Mono<Set<String>> matched(Join join) {
        BackendClient backend = clients.get(api.resources().get(join.target()).backend());
        return backend.lookup(builder -> uri(builder, join))
                .onErrorMap(failure -> !(failure instanceof ApiException),
                        failure -> Problems.backendUnavailable(backend.name(), failure,
                                backend.guards().retryAfterSeconds(failure)))
                .flatMap(answer -> {
                    if (answer.size() > maxIds) {
                        return Mono.error(overBound(join));
                    }
                    Set<String> ids = new LinkedHashSet<>();
                    for (JsonNode id : answer) {
                        ids.add(id.asString());
                    }
                    return Mono.just(ids);
                });
    }

    /** {@code <match>?<conditions>&of=<of>&limit=<bound + 1>}, every value encoded whole. */
    private URI uri(UriBuilder builder, Join join) {
        builder.path(join.match());
        Map<String, Object> values = new HashMap<>();
        join.conditions().forEach((field, given) -> given.forEach(value -> {
            String variable = "v" + values.size();
            values.put(variable, value);
            builder.queryParam(field, "{" + variable + "}");
        }));
        return builder.queryParam(MatchingIds.OF, join.of()).queryParam(MatchingIds.LIMIT, maxIds + 1).build(values);
    }

    private ApiException overBound(Join join) {
        String filter = String.join("&", join.parameters());
        String message = "matches more than " + maxIds + " " + join.target() + "s; a filter through " + join.path()
                + " carries at most " + maxIds + " ids (shop.api.reference-filters.max-ids): narrow it";
        List<FieldProblem> problems = new ArrayList<>();
        join.parameters().forEach(parameter -> problems.add(new FieldProblem(parameter, message)));
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, filter + " " + message, problems)
                .with("filter", join.path())
                .with("maxIds", maxIds);
    }

    /** Each key's ids: those every join on it matched. */
    private static Map<String, Set<String>> intersected(List<Map.Entry<String, Set<String>>> matched) {
        Map<String, Set<String>> byKey = new LinkedHashMap<>();
        matched.forEach(entry -> byKey.merge(entry.getKey(), entry.getValue(), (kept, more) -> {
            Set<String> both = new LinkedHashSet<>(kept);
            both.retainAll(more);
            return both;
        }));
        return byKey;
    }

    /** The page's request without the filters through references, and with each key among its ids. */
    private static URI narrowed(URI uri, Plan plan, Map<String, Set<String>> byKey) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(uri);
        plan.removed().forEach(builder::replaceQueryParam);
        byKey.forEach((key, ids) -> builder.queryParam(key, "in." + String.join(",", ids)));
        return builder.build(true).toUri();
    }

    /** The page with nothing on it, as the page's service answers one ({@link PageResponse}). */
    private Mono<Void> emptyPage(ServerHttpResponse response, Plan plan) {
        PageResponse<Object> empty = new PageResponse<>(List.of(),
                new PageResponse.PageMetadata(plan.page().getPageSize(), plan.page().getPageNumber(), 0, 0));
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json.write(empty))));
    }
}
