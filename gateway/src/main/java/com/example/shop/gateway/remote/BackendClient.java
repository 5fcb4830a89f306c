package com.example.shop.gateway.remote;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.web.reactive.function.client.ServerBearerExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;

import com.example.shop.remote.BackendGuards;
import com.example.shop.remote.RemoteService;
import com.example.shop.remote.RemoteServices;
import com.example.shop.gateway.populate.AnswerBudget;
import com.example.shop.gateway.web.GatewayJson;

/**
 * One backend as the gateway needs it, on shop-remote's {@link RemoteService} (its instances, load-balanced
 * {@link WebClient} and guards): the paths the gateway routes to it, and its guarded lookups for populate
 * ({@link ResourceLookups}: {@code GET <path>?ids=a,b,c}, answered by a JSON array). One per backend the public
 * API declares ({@code shop.api.backends}), built once ({@link BackendClients}); its instances are
 * {@code shop.remote.<name>}, over which Spring Cloud LoadBalancer spreads the routed requests
 * ({@code lb://<name>}) and the lookups, to those whose readiness check passes. Every lookup is guarded, and a
 * retried lookup goes to the next instance. Lookups are made on behalf of the caller: they carry the caller's
 * own access token when there is one, so the backend answers with what that caller may see (user-service: the
 * caller whole, every other user's public view), and otherwise what the declaration says the backend takes from
 * an anonymous caller (the gateway's service credential, or nothing). Routed requests carry the caller's own
 * token as they came.
 */
public final class BackendClient {

    /** No credential: the request goes as it is. */
    public static final ExchangeFilterFunction NONE = (request, next) -> next.exchange(request);

    /**
     * A lookup made for a populated answer counts its answer's bytes in that answer's budget as they arrive (the
     * budget in the Reactor context, {@link AnswerBudget#CONTEXT_KEY}): a lookup cannot bring more than the answer
     * may hold before it is counted, and the budget's refusal ends it. (A lookup shared between requests in flight
     * runs with a budget of its own, without limits, and each request's budget counts its bytes once it is whole.)
     */
    static final ExchangeFilterFunction COUNTED = (request, next) -> Mono.deferContextual(context -> {
        Optional<AnswerBudget> budget = context.getOrEmpty(AnswerBudget.CONTEXT_KEY);
        Mono<ClientResponse> response = next.exchange(request);
        return budget.isEmpty() ? response
                : response.map(answer -> answer.mutate().body(body -> budget.get().counted(body)).build());
    });

    private final RemoteService service;

    private final BackendGuards guards;

    private final List<String> routedPaths;

    private final GatewayJson json;

    /**
     * @param routedPaths         the backend's paths that the gateway routes, each from {@code /api} + the path
     * @param anonymousCredential what a lookup for a caller without a token carries: the gateway's service
     *                            credential ({@code ServiceCredentials.filterUnlessAuthorized()}), or {@link #NONE}
     */
    public BackendClient(String name, List<String> routedPaths, RemoteServices remote,
            ExchangeFilterFunction anonymousCredential, BackendsProperties properties, GatewayJson json) {
        this.service = remote.create(name, client -> client
                // the caller's own access token, from the request's security context, when there is one
                .filter(new ServerBearerExchangeFilterFunction())
                .filter(anonymousCredential)
                .filter(COUNTED)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) properties.maxLookupSize().toBytes())));
        this.routedPaths = List.copyOf(routedPaths);
        this.json = json;
        this.guards = service.guards();
    }

    public String name() {
        return service.name();
    }

    /** The configured instances' base URLs. */
    public List<URI> instances() {
        return service.instances();
    }

    /** The address routes send to: the backend's name, resolved by the load balancer. */
    public URI loadBalancedUri() {
        return service.loadBalancedUri();
    }

    /** The backend's paths that the gateway routes, each from {@code /api} + the path ({@code /users}, {@code /auth}). */
    public List<String> routedPaths() {
        return routedPaths;
    }

    public BackendGuards guards() {
        return guards;
    }

    /** The load-balanced client, for other reads of the backend. */
    public WebClient webClient() {
        return service.webClient();
    }

    /** A guarded lookup (as a batch lookup is) of {@code uri}, answered by a JSON array: its elements. */
    public Mono<List<JsonNode>> lookup(Function<UriBuilder, URI> uri) {
        return read(uri).map(this::elements);
    }

    /** A guarded read of {@code uri}, answered by one JSON document (the API document, one document by id). */
    public Mono<JsonNode> read(Function<UriBuilder, URI> uri) {
        return guards.lookup(webClient().get()
                .uri(uri)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(byte[].class)
                .map(json::read));
    }

    private List<JsonNode> elements(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalStateException(name() + " answered a lookup with " + array.getNodeType()
                    + " instead of an array");
        }
        return List.copyOf(array.values());
    }
}
