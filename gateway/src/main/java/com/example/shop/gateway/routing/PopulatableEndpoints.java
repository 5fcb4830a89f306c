package com.example.shop.gateway.routing;

import java.util.List;
import java.util.Optional;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.example.shop.gateway.api.PublicApi;
import com.example.shop.gateway.populate.Shape;

/**
 * Which gateway paths of a route answer GET with documents that can be populated, and of which resource: the
 * public API's {@code populatable} endpoints under the route's path ({@link PublicApi#populatable(String)}).
 */
public final class PopulatableEndpoints {

    record Endpoint(String pattern, PathPattern path, String resource, Shape shape) {
    }

    private final List<Endpoint> endpoints;

    public PopulatableEndpoints(List<PublicApi.Populatable> declared) {
        this.endpoints = declared.stream()
                .map(e -> new Endpoint(e.path(), PathPatternParser.defaultInstance.parse(e.path()), e.resource(),
                        e.shape()))
                .toList();
    }

    Optional<Endpoint> match(PathContainer path) {
        return endpoints.stream().filter(endpoint -> endpoint.path().matches(path)).findFirst();
    }

    String describe() {
        return String.join(", ", endpoints.stream().map(e -> "GET " + e.pattern()).toList());
    }
}
