package com.example.shop.product.product.domain;

import java.time.Clock;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;

import com.example.shop.deletion.CleanupProperties;
import com.example.shop.deletion.DeletionConfiguration;
import com.example.shop.deletion.TombstoneSweep;
import com.example.shop.product.user.UserClient;

/**
 * Finishes what {@code DELETE /products/{id}} (or the deletion of the owner) started: takes the product
 * out of every cart in user-service, and only when user-service confirms, removes the product's document
 * for good. Claiming, leases, backoff and the schedule are {@link TombstoneSweep}'s.
 */
@Component
@Import(DeletionConfiguration.class)
public class ProductCleanup extends TombstoneSweep<Product> {

    private final UserClient users;

    public ProductCleanup(ReactiveMongoTemplate mongo, UserClient users, CleanupProperties properties, Clock clock) {
        super("deleted product", "cart cleanup", Product.class, mongo, properties, clock);
        this.users = users;
    }

    @Override
    protected Mono<String> finish(Product product) {
        return users.removeFromCarts(product.id()).map(carts -> "taken out of " + carts + " cart(s)");
    }
}
