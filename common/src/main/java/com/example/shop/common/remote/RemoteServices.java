package com.example.shop.common.remote;

import java.net.URI;
import java.util.List;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/** Makes the {@link RemoteService} of a name; each client class calls it once, in its constructor. */
public class RemoteServices {

    private static final Logger log = LoggerFactory.getLogger(RemoteServices.class);

    private final RemoteServicesProperties properties;

    private final WebClient.Builder builder;

    private final LoadBalancedExchangeFilterFunction loadBalancer;

    private final CircuitBreakerRegistry circuitBreakers;

    private final TimeLimiterRegistry timeLimiters;

    private final RetryRegistry retries;

    private final BulkheadRegistry bulkheads;

    public RemoteServices(RemoteServicesProperties properties, WebClient.Builder builder,
            LoadBalancedExchangeFilterFunction loadBalancer, CircuitBreakerRegistry circuitBreakers,
            TimeLimiterRegistry timeLimiters, RetryRegistry retries, BulkheadRegistry bulkheads) {
        this.properties = properties;
        this.builder = builder;
        this.loadBalancer = loadBalancer;
        this.circuitBreakers = circuitBreakers;
        this.timeLimiters = timeLimiters;
        this.retries = retries;
        this.bulkheads = bulkheads;
    }

    public RemoteService create(String name) {
        List<URI> instances = properties.remote().getOrDefault(name, List.of());
        if (instances.isEmpty()) {
            throw new IllegalStateException("No instances configured for " + name + ": set shop.remote." + name);
        }
        log.info("Backend: {} at {} (load-balanced, guarded by resilience4j instance '{}')", name, instances, name);
        WebClient webClient = builder.clone().filter(loadBalancer).baseUrl("http://" + name).build();
        return new RemoteService(name, webClient,
                new ResilientCalls(name, circuitBreakers, timeLimiters, retries, bulkheads));
    }
}
