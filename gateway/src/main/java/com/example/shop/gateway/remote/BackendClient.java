package com.example.shop.gateway.remote;

import java.net.URI;
import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.example.shop.gateway.populate.DocumentFetcher;
import com.example.shop.gateway.web.GatewayJson;

/**
 * One backend as the gateway needs it: its address and guards for routing, and its batch endpoint
 * ({@code GET <path>?ids=a,b,c}, answered by a JSON array of the documents found) for populate. One
 * {@link WebClient} built once; every lookup guarded.
 */
public abstract class BackendClient implements DocumentFetcher {

    private final String name;

    private final URI url;

    private final String lookupPath;

    private final BackendGuards guards;

    private final WebClient webClient;

    private final GatewayJson json;

    protected BackendClient(String name, URI url, String lookupPath, WebClient.Builder builder,
            BackendsProperties properties, BackendGuardsFactory guards, GatewayJson json) {
        this.name = name;
        this.url = url;
        this.lookupPath = lookupPath;
        this.guards = guards.forBackend(name);
        this.json = json;
        this.webClient = builder.clone()
                .baseUrl(url.toString())
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) properties.maxLookupSize().toBytes()))
                .build();
    }

    public String name() {
        return name;
    }

    public URI url() {
        return url;
    }

    public BackendGuards guards() {
        return guards;
    }

    @Override
    public Mono<List<JsonNode>> fetch(List<String> ids) {
        return guards.lookup(webClient.get()
                .uri(builder -> builder.path(lookupPath).queryParam("ids", String.join(",", ids)).build())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(byte[].class)
                .map(this::documents));
    }

    /**
     * One document by id ({@code GET <path>/<id>}), empty when the backend answers 404; guarded like a
     * batch lookup. Only the benchmark's per-id fetch mode uses it.
     */
    public Mono<JsonNode> fetchOne(String id) {
        return guards.lookup(webClient.get()
                .uri(builder -> builder.path(lookupPath).pathSegment(id).build())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(byte[].class)
                .map(json::read)
                .onErrorResume(WebClientResponseException.NotFound.class, missing -> Mono.empty()));
    }

    private List<JsonNode> documents(byte[] body) {
        JsonNode array = json.read(body);
        if (!array.isArray()) {
            throw new IllegalStateException(name + " answered " + lookupPath + "?ids= with " + array.getNodeType()
                    + " instead of an array");
        }
        return List.copyOf(array.values());
    }
}
