package com.example.shop.store;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/** Store health by the {@code ping} command, which real MongoDB and the embedded server both answer. */
public class MongoPingHealthIndicator extends AbstractReactiveHealthIndicator {

    private static final Document PING = new Document("ping", 1);

    private final ReactiveMongoTemplate template;

    private final MongoStoreDescription store;

    public MongoPingHealthIndicator(ReactiveMongoTemplate template, MongoStoreDescription store) {
        super("MongoDB ping failed");
        this.template = template;
        this.store = store;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return template.executeCommand(PING)
                .map(reply -> builder.up()
                        .withDetail("store", store.kind())
                        .withDetail("database", store.database())
                        .build());
    }
}
