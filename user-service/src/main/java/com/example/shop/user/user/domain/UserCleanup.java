package com.example.shop.user.user.domain;

import java.time.Clock;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;

import com.example.shop.deletion.CleanupProperties;
import com.example.shop.deletion.DeletionConfiguration;
import com.example.shop.deletion.TombstoneSweep;
import com.example.shop.user.product.ProductClient;

/**
 * Finishes what {@code DELETE /users/{id}} started: has product-service delete every product of the
 * user (which then leave every cart through product-service's own cleanup), and only when product-service
 * confirms, removes the user's tombstone for good. Claiming, leases, backoff and the schedule are
 * {@link TombstoneSweep}'s, as for product-service's cleanup of deleted products.
 */
@Component
@Import(DeletionConfiguration.class)
public class UserCleanup extends TombstoneSweep<User> {

    private final ProductClient products;

    public UserCleanup(ReactiveMongoTemplate mongo, ProductClient products, CleanupProperties properties, Clock clock) {
        super("deleted user", "deleting its products", User.class, mongo, properties, clock);
        this.products = products;
    }

    @Override
    protected Mono<String> finish(User user) {
        return products.deleteProductsOf(user.id()).map(deleted -> deleted + " product(s) deleted in product-service");
    }
}
