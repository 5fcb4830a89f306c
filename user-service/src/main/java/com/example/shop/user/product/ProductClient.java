package com.example.shop.user.product;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.example.shop.common.remote.ResilientCalls;
import com.example.shop.common.web.ApiException;

/** product-service, as user-service needs it: does a product exist? */
@Component
public class ProductClient {

    public static final String SERVICE = "product-service";

    private static final Logger log = LoggerFactory.getLogger(ProductClient.class);

    private final WebClient webClient;

    private final ResilientCalls calls;

    public ProductClient(WebClient.Builder builder, ProductServiceProperties properties,
            CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters, RetryRegistry retries,
            BulkheadRegistry bulkheads) {
        this.webClient = builder.clone().baseUrl(properties.url().toString()).build();
        this.calls = new ResilientCalls(SERVICE, circuitBreakers, timeLimiters, retries, bulkheads);
        log.info("Backend: {} at {}", SERVICE, properties.url());
    }

    /** Whether product-service knows the product; 503 when it cannot say. */
    public Mono<Boolean> exists(ObjectId productId) {
        return calls.idempotent(webClient.get()
                .uri("/products/{id}", productId.toHexString())
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.releaseBody().thenReturn(true);
                    }
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return response.releaseBody().thenReturn(false);
                    }
                    return response.createError();
                }));
    }

    /** Completes if the product exists; a 422 naming {@code productId} if it does not. */
    public Mono<Void> requireExists(ObjectId productId) {
        return exists(productId).flatMap(exists -> exists
                ? Mono.<Void>empty()
                : Mono.error(ApiException.unprocessable("productId", "product " + productId + " does not exist")));
    }
}
