package com.example.shop.product.user;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.common.remote.RemoteExistence;
import com.example.shop.common.remote.ResilientCalls;

/** user-service, as product-service needs it: does a user exist, and take a deleted product out of every cart. */
@Component
public class UserClient {

    public static final String SERVICE = "user-service";

    private static final Logger log = LoggerFactory.getLogger(UserClient.class);

    private final WebClient webClient;

    private final ResilientCalls calls;

    public UserClient(WebClient.Builder builder, UserServiceProperties properties,
            CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters, RetryRegistry retries,
            BulkheadRegistry bulkheads) {
        this.webClient = builder.clone().baseUrl(properties.url().toString()).build();
        this.calls = new ResilientCalls(SERVICE, circuitBreakers, timeLimiters, retries, bulkheads);
        log.info("Backend: {} at {}", SERVICE, properties.url());
    }

    /** Whether user-service knows the user; 503 when it cannot say. */
    public Mono<Boolean> exists(ObjectId userId) {
        return calls.idempotent(webClient.get()
                .uri("/users/{id}", userId.toHexString())
                .exchangeToMono(RemoteExistence::of));
    }

    /** Completes if the user exists; a 422 naming {@code userId} if not; a 503 if user-service cannot say. */
    public Mono<Void> requireExists(ObjectId userId) {
        return RemoteExistence.require(exists(userId), "userId", "user " + userId + " does not exist");
    }

    /**
     * Removes the product from every cart (idempotent, so retried); completes with the number of carts
     * that held it once user-service answers 2xx, and fails otherwise.
     */
    public Mono<Long> removeFromCarts(ObjectId productId) {
        return calls.idempotent(webClient.delete()
                .uri("/internal/carts/items/{productId}", productId.toHexString())
                .retrieve()
                .bodyToMono(CartsCleaned.class)
                .map(CartsCleaned::cartsChanged)
                .defaultIfEmpty(0L));
    }
}
