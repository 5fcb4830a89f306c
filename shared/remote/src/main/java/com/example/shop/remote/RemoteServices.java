package com.example.shop.remote;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/** Makes the {@link RemoteService} of a name; each client class calls it once, in its constructor. */
public class RemoteServices {

    private static final Logger log = LoggerFactory.getLogger(RemoteServices.class);

    private final RemoteServicesProperties properties;

    private final WebClient.Builder builder;

    private final ExchangeFilterFunction serviceCredential;

    private final LoadBalancedExchangeFilterFunction loadBalancer;

    private final CircuitBreakerRegistry circuitBreakers;

    private final TimeLimiterRegistry timeLimiters;

    private final RetryRegistry retries;

    private final BulkheadRegistry bulkheads;

    /**
     * @param serviceCredential what {@link #create(String)} puts on every call: this process's service
     *                          credential
     */
    public RemoteServices(RemoteServicesProperties properties, WebClient.Builder builder,
            ExchangeFilterFunction serviceCredential, LoadBalancedExchangeFilterFunction loadBalancer,
            CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters, RetryRegistry retries,
            BulkheadRegistry bulkheads) {
        this.properties = properties;
        this.builder = builder;
        this.serviceCredential = serviceCredential;
        this.loadBalancer = loadBalancer;
        this.circuitBreakers = circuitBreakers;
        this.timeLimiters = timeLimiters;
        this.retries = retries;
        this.bulkheads = bulkheads;
    }

    /** The service, called with this process's service credential. */
    public RemoteService create(String name) {
        return create(name, client -> client.filter(serviceCredential));
    }

    /**
     * The service, called as {@code client} sets its WebClient up after the load balancer (whose "no instance"
     * is a {@link NoInstanceException}, not a 503 response): the credentials it carries (filters run in the
     * order added), its codecs' limits.
     */
    public RemoteService create(String name, Consumer<WebClient.Builder> client) {
        List<URI> instances = properties.remote().getOrDefault(name, List.of());
        if (instances.isEmpty()) {
            throw new IllegalStateException("No instances configured for " + name + ": set shop.remote." + name);
        }
        log.info("Backend: {} at {} (load-balanced, guarded by resilience4j instance '{}')", name, instances, name);
        WebClient.Builder webClient = builder.clone().filter(new NoInstanceFilter(loadBalancer));
        client.accept(webClient);
        return new RemoteService(name, instances, webClient.baseUrl("http://" + name).build(),
                new ResilientCalls(name, circuitBreakers, timeLimiters, retries, bulkheads),
                () -> new BackendGuards(name, circuitBreakers, timeLimiters, retries, bulkheads));
    }
}
