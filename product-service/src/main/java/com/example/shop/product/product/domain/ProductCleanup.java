package com.example.shop.product.product.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import com.example.shop.product.user.UserClient;

/**
 * Finishes what {@code DELETE /products/{id}} started: takes the product out of every cart in
 * user-service, and only when user-service confirms, removes the product's document for good.
 * <p>
 * The work lives in the store, not in memory: each tombstone says when it is next due. A sweep runs at
 * start-up and then every {@link CleanupProperties#sweepInterval()}; it claims due tombstones one at a
 * time with a guarded {@code findAndModify} that pushes {@code nextAttemptAt} past a lease, so two
 * instances never work on the same one at once. A failed attempt sets the next try after an exponential
 * backoff; one that dies with its process is due again when its lease ends. Nothing blocks or sleeps.
 */
@Component
public class ProductCleanup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProductCleanup.class);

    private static final FindAndModifyOptions RETURN_NEW = FindAndModifyOptions.options().returnNew(true);

    private final ReactiveMongoTemplate mongo;

    private final UserClient users;

    private final CleanupProperties properties;

    private final Clock clock;

    private volatile Disposable sweeps;

    public ProductCleanup(ReactiveMongoTemplate mongo, UserClient users, CleanupProperties properties, Clock clock) {
        this.mongo = mongo;
        this.users = users;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        log.info("Cart cleanup of deleted products: a sweep now and every {}, backoff {}..{}, lease {}",
                properties.sweepInterval(), properties.initialBackoff(), properties.maxBackoff(), properties.lease());
        sweeps = Flux.interval(Duration.ZERO, properties.sweepInterval())
                .onBackpressureDrop()
                .concatMap(tick -> sweep()
                        .onErrorResume(e -> {
                            log.warn("Cleanup sweep failed; the next one tries again: {}", e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = sweeps;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = sweeps;
        return running != null && !running.isDisposed();
    }

    /** Works off every tombstone that is due, one after the other; completes when none is left due. */
    public Mono<Void> sweep() {
        return Mono.defer(this::claimNext)
                .flatMap(product -> cleanUp(product).thenReturn(true))
                .defaultIfEmpty(false)
                .repeat()
                .takeWhile(Boolean::booleanValue)
                .then();
    }

    /** Reserves the most overdue tombstone for this instance: counts the attempt and pushes its due time past the lease. */
    private Mono<Product> claimNext() {
        Instant now = clock.instant();
        Query due = Query.query(Criteria.where("deletion.nextAttemptAt").lte(now))
                .with(Sort.by("deletion.nextAttemptAt"));
        Update claim = new Update().inc("deletion.attempts", 1)
                .set("deletion.nextAttemptAt", now.plus(properties.lease()));
        return mongo.findAndModify(due, claim, RETURN_NEW, Product.class);
    }

    private Mono<Void> cleanUp(Product product) {
        ObjectId id = product.id();
        int attempt = product.deletion().attempts();
        return users.removeFromCarts(id)
                .flatMap(carts -> mongo.remove(Query.query(Criteria.where("_id").is(id).and("deletion").ne(null)),
                                Product.class)
                        .doOnSuccess(removed -> log.info(
                                "Deleted product {}: taken out of {} cart(s) on attempt {}; document removed",
                                id, carts, attempt)))
                .then()
                .onErrorResume(e -> retryLater(id, attempt, e));
    }

    /** Sets the next try after a backoff, unless another instance has claimed the tombstone since. */
    private Mono<Void> retryLater(ObjectId id, int attempt, Throwable error) {
        Duration wait = properties.backoff(attempt);
        log.warn("Deleted product {}: cart cleanup attempt {} failed ({}); next try in {}", id, attempt,
                error.getMessage(), wait);
        Query stillOurs = Query.query(Criteria.where("_id").is(id).and("deletion.attempts").is(attempt));
        return mongo.updateFirst(stillOurs, new Update().set("deletion.nextAttemptAt", clock.instant().plus(wait)),
                        Product.class)
                .then();
    }
}
