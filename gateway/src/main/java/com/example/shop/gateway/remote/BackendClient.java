package com.example.shop.gateway.remote;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.web.reactive.function.client.ServerBearerExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.util.UriBuilder;

import com.example.shop.remote.BackendGuards;
import com.example.shop.remote.RemoteService;
import com.example.shop.remote.RemoteServices;
import com.example.shop.gateway.populate.AnswerBudget;
import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.web.GatewayJson;

/**
 * One backend as the gateway needs it, on shop-remote's {@link RemoteService} (its instances, load-balanced
 * {@link WebClient} and guards): the paths the gateway routes to it, and its batch endpoint
 * ({@code GET <path>?ids=a,b,c}, answered by a JSON array of the documents found) for populate. The
 * backend's instances are {@code shop.remote.<name>}; Spring Cloud LoadBalancer spreads the routed
 * requests ({@code lb://<name>}) and the lookups over those whose readiness check passes. Every lookup is
 * guarded, and a retried lookup goes to the next instance. Lookups are made on behalf of the caller: they carry the caller's own
 * access token when there is one, so the backend answers with what that caller may see (user-service: the
 * caller whole, every other user's public view), and otherwise the backend's {@code anonymousCredential}.
 * Routed requests carry the caller's own token as they came.
 */
public abstract class BackendClient implements DocumentFetcher {

    /** Where each backend's public API sits at the gateway: {@code /api} + its resource path. */
    public static final String PUBLIC_PREFIX = "/api";

    /** No credential: the request goes as it is. */
    protected static final ExchangeFilterFunction NONE = (request, next) -> next.exchange(request);

    /**
     * A lookup made for a populated answer counts its answer's bytes in that answer's budget as they arrive (the
     * budget in the Reactor context, {@link AnswerBudget#CONTEXT_KEY}): a lookup cannot bring more than the answer
     * may hold before it is counted, and the budget's refusal ends it.
     */
    static final ExchangeFilterFunction COUNTED = (request, next) -> Mono.deferContextual(context -> {
        Optional<AnswerBudget> budget = context.getOrEmpty(AnswerBudget.CONTEXT_KEY);
        Mono<ClientResponse> response = next.exchange(request);
        return budget.isEmpty() ? response
                : response.map(answer -> answer.mutate().body(body -> budget.get().counted(body)).build());
    });

    private final RemoteService service;

    private final BackendGuards guards;

    private final String resourcePath;

    private final List<String> routedPaths;

    private final GatewayJson json;

    /**
     * @param resourcePath        the backend's resource collection ({@code /users}), routed from
     *                            {@code /api/users/**}, and its batch endpoint
     * @param otherPaths          other paths of the backend that are routed the same way ({@code /auth})
     * @param anonymousCredential what a lookup for a caller without a token carries: the gateway's service
     *                            credential ({@code ServiceCredentials.filterUnlessAuthorized()}), or {@link #NONE}
     */
    protected BackendClient(String name, String resourcePath, List<String> otherPaths, RemoteServices remote,
            ExchangeFilterFunction anonymousCredential, BackendsProperties properties, GatewayJson json) {
        this.service = remote.create(name, client -> client
                // the caller's own access token, from the request's security context, when there is one
                .filter(new ServerBearerExchangeFilterFunction())
                .filter(anonymousCredential)
                .filter(COUNTED)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) properties.maxLookupSize().toBytes())));
        this.resourcePath = resourcePath;
        this.routedPaths = Stream.concat(Stream.of(resourcePath), otherPaths.stream()).toList();
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

    /** The gateway path of the backend's resources, such as {@code /api/users}. */
    public String publicPath() {
        return PUBLIC_PREFIX + resourcePath;
    }

    /**
     * The backend's paths that the gateway routes, each from {@code /api} + the path: its resource path,
     * and any other it serves publicly (user-service's {@code /auth}).
     */
    public List<String> routedPaths() {
        return routedPaths;
    }

    /** The backend's own path of its resources, such as {@code /users}. */
    public String resourcePath() {
        return resourcePath;
    }

    public BackendGuards guards() {
        return guards;
    }

    /** The load-balanced client, for other reads of the backend. */
    public WebClient webClient() {
        return service.webClient();
    }

    @Override
    public Mono<List<JsonNode>> fetch(List<String> ids) {
        return lookup(builder -> builder.path(resourcePath).queryParam("ids", String.join(",", ids)).build());
    }

    /** A guarded lookup (as a batch lookup is) of {@code uri}, answered by a JSON array: its elements. */
    protected Mono<List<JsonNode>> lookup(Function<UriBuilder, URI> uri) {
        return guards.lookup(webClient().get()
                .uri(uri)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(byte[].class)
                .map(this::elements));
    }

    /**
     * One document by id ({@code GET <path>/<id>}), empty when the backend answers 404; guarded like a
     * batch lookup. Only the benchmark's per-id fetch mode uses it.
     */
    public Mono<JsonNode> fetchOne(String id) {
        return guards.lookup(webClient().get()
                .uri(builder -> builder.path(resourcePath).pathSegment(id).build())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(byte[].class)
                .map(json::read)
                .onErrorResume(WebClientResponseException.NotFound.class, missing -> Mono.empty()));
    }

    private List<JsonNode> elements(byte[] body) {
        JsonNode array = json.read(body);
        if (!array.isArray()) {
            throw new IllegalStateException(name() + " answered a lookup with " + array.getNodeType()
                    + " instead of an array");
        }
        return List.copyOf(array.values());
    }
}
