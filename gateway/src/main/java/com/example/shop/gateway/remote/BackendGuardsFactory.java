package com.example.shop.gateway.remote;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

import org.springframework.stereotype.Component;

/** Hands each backend client its {@link BackendGuards}, from the registries configured in YAML. */
@Component
public class BackendGuardsFactory {

    private final CircuitBreakerRegistry circuitBreakers;

    private final TimeLimiterRegistry timeLimiters;

    private final RetryRegistry retries;

    private final BulkheadRegistry bulkheads;

    public BackendGuardsFactory(CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters,
            RetryRegistry retries, BulkheadRegistry bulkheads) {
        this.circuitBreakers = circuitBreakers;
        this.timeLimiters = timeLimiters;
        this.retries = retries;
        this.bulkheads = bulkheads;
    }

    public BackendGuards forBackend(String backend) {
        return new BackendGuards(backend, circuitBreakers, timeLimiters, retries, bulkheads);
    }
}
