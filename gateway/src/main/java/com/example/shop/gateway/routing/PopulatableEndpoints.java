package com.example.shop.gateway.routing;

import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.Shape;

/**
 * Which requests of a route answer with documents that can be populated, and of which resource: the public API's
 * populatable GET endpoints and writes under the route's path ({@link PublicApi#populatable(String)}).
 */
public final class PopulatableEndpoints {

    /**
     * @param write whether the answer is a write's (made by the time it is populated)
     */
    record Endpoint(HttpMethod method, String pattern, PathPattern path, String resource, Shape shape, boolean write) {
    }

    private final List<Endpoint> endpoints;

    public PopulatableEndpoints(List<PublicApi.Populatable> declared) {
        this.endpoints = declared.stream()
                .map(e -> new Endpoint(e.method(), e.path(), PathPatternParser.defaultInstance.parse(e.path()),
                        e.resource(), e.shape(), e.isWrite()))
                .toList();
    }

    Optional<Endpoint> match(HttpMethod method, PathContainer path) {
        return endpoints.stream().filter(endpoint -> endpoint.method().equals(method) && endpoint.path().matches(path))
                .findFirst();
    }

    String describe() {
        return String.join(", ", endpoints.stream().map(e -> e.method().name() + " " + e.pattern()).toList());
    }
}
